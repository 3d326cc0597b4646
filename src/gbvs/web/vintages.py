"""A forecast run's data vintage for readers: each input table by its source's title, linked to its
row on the sources page, with its version and the last year of data (the stored string is
``table=version@year; ...``, :attr:`gbvs.forecasting.data.Provenance.vintage`)."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from gbvs.errors import NotFoundError
from gbvs.forecasting.data import vintage_parts
from gbvs.sources.registry import table_owner


def source_title(table: str) -> str:
    """The title of the source that writes ``table``; a table GBVS derives itself keeps its name."""
    try:
        return table_owner(table).title
    except NotFoundError:
        return table


def vintage_html(vintage: str | None, gettext: Callable[[str], str], lang: str) -> Markup:
    """The vintage as "Title version, data up to YEAR; ..." (English names and versions marked as
    English on a page in another language); a string in another form is shown as it is."""
    if not vintage:
        return Markup("–")
    parts = vintage_parts(vintage)
    if not parts:
        return _in_english(Markup.escape(vintage), lang)
    titles = [source_title(part.table) for part in parts]
    items = []
    for part, title in zip(parts, titles, strict=True):
        named = title if titles.count(title) == 1 else f"{title}, {part.table}"
        if part.version not in title:  # "... forecasts v14" needs no second "v14"
            named = f"{named} {part.version}"
        item = _in_english(Markup('<a href="/bronnen#{}">{}</a>').format(part.table, named), lang)
        if part.vintage.isdigit():
            item += Markup(", {}").format(gettext("data up to %(year)s") % {"year": part.vintage})
        items.append(item)
    return Markup("; ").join(items)


def _in_english(html: Markup, lang: str) -> Markup:
    return html if lang == "en" else Markup('<span lang="en">{}</span>').format(html)
