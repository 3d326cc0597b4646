"""A forecast run's data vintage for readers: parsed back from the stored string, each table by its
source's title, linked to the sources page; a string in another form is shown as it is."""

from __future__ import annotations

from gbvs.forecasting.data import Provenance, VintagePart, vintage_parts
from gbvs.web.vintages import vintage_html

STORED = Provenance(
    {
        "ucdp_acd": {"version": "25.1 (restricted to 1946-2023)", "vintage": "2023"},
        "poldat_country_year": {"version": "9cdbec6", "vintage": "2023"},
        "ptcoups": {"version": "e421def", "vintage": "2022"},
        "demspaces_forecasts": {"version": "v14", "vintage": "2022"},
        "panel_country_year": {"version": "gbvs 0.1.0", "vintage": "?"},
    }
).vintage


def _english(text: str) -> str:
    return text


def test_the_stored_string_parses_back_into_its_tables() -> None:
    parts = vintage_parts(STORED)
    assert parts[-1] == VintagePart("ucdp_acd", "25.1 (restricted to 1946-2023)", "2023")
    assert [p.table for p in parts] == sorted(p.table for p in parts) and len(parts) == 5
    assert vintage_parts("gapminder=open-numbers @ c63631ab (2026-02/03)@2024") == [
        VintagePart("gapminder", "open-numbers @ c63631ab (2026-02/03)", "2024")  # an @ in the version
    ]


def test_a_string_in_another_form_is_not_parsed() -> None:
    assert vintage_parts("unknown") == [] and vintage_parts("UCDP 25.1, V-Dem 14") == []


def test_the_reader_sees_titles_linked_to_the_sources_page() -> None:
    html = str(vintage_html(STORED, _english, "en"))
    assert (
        '<a href="/bronnen#ucdp_acd">UCDP/PRIO Armed Conflict Dataset 25.1 (restricted to 1946-2023)</a>'
        in html
    )
    assert ">Democratic Spaces Barometer forecasts v14</a>" in html  # the version once
    assert "data up to 2023" in html and "panel_country_year gbvs 0.1.0</a>;" in html  # no year: none shown
    assert "#poldat_country_year" in html and ", ptcoups e421def</a>" in html  # one source, two tables


def test_a_dutch_page_marks_the_english_names() -> None:
    html = str(
        vintage_html(STORED, lambda text: {"data up to %(year)s": "gegevens t/m %(year)s"}[text], "nl")
    )
    assert '<span lang="en"><a href="/bronnen#ucdp_acd">' in html and "gegevens t/m 2023" in html
    assert str(vintage_html("unknown <b>", _english, "nl")) == '<span lang="en">unknown &lt;b&gt;</span>'
    assert str(vintage_html(None, _english, "nl")) == "–"


def test_a_vintage_inside_a_translated_sentence_keeps_its_links() -> None:
    """The frozen warning of an early-action case puts the vintage into a sentence (``_()`` with a
    value): its links stay links and the rest is escaped."""
    from gettext import NullTranslations

    from gbvs.web.render import create_environment

    template = create_environment().from_string('{{ _("Data: %(vintage)s & more", vintage=v | vintage) }}')
    html = template.render(lang="en", t=NullTranslations(), v=STORED)
    assert '<a href="/bronnen#ucdp_acd">' in html and "&amp; more" in html
    escaped = template.render(lang="en", t=NullTranslations(), v="<b>unknown</b>")
    assert "&lt;b&gt;unknown&lt;/b&gt;" in escaped
