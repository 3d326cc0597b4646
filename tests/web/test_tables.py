"""Sortable, filterable tables on the server (issue 12, "Add"): the helper, and each page that uses it.

Each page: ascending and descending sorts change the row order as expected, a filter narrows the
rows, a bad sort key answers 400 naming the allowed keys, in both languages; the sorted column
carries ``aria-sort`` and every sortable header links to its order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from babel.numbers import parse_decimal

from gbvs.errors import InputError
from gbvs.textmatch import contains
from gbvs.web.tables import Column, Sort, Table, table_view

COUNTRY_ROW = r'<th scope="row"><a href="/landen/(\w+)'


@dataclass(frozen=True)
class Item:
    name: str
    value: float | None


ITEMS = [
    Item("Zuid-Soedan", 10.0),
    Item("Ålandseilanden", None),
    Item("mali", 9.0),
    Item("Chad", float("nan")),
]
TABLE = Table(Column("name", lambda i: i.name), Column("value", lambda i: i.value), default=Sort("name"))


# the helper
def test_numbers_sort_as_numbers_and_missing_values_come_last_both_ways() -> None:
    up = TABLE.apply(ITEMS, TABLE.parse("value"))
    down = TABLE.apply(ITEMS, TABLE.parse("-value"))
    assert [i.name for i in up[:2]] == ["mali", "Zuid-Soedan"]  # 9 before 10: not as text
    assert [i.name for i in down[:2]] == ["Zuid-Soedan", "mali"]
    assert {i.name for i in up[2:]} == {i.name for i in down[2:]} == {"Ålandseilanden", "Chad"}


def test_text_sorts_without_case_or_accents() -> None:
    assert [i.name for i in TABLE.apply(ITEMS, TABLE.parse(""))] == [
        "Ålandseilanden",
        "Chad",
        "mali",
        "Zuid-Soedan",
    ]
    assert contains("aland", "Ålandseilanden") and contains("", "x") and not contains("mali", "Chad")


def test_a_bad_sort_key_names_the_allowed_keys() -> None:
    with pytest.raises(InputError, match=r"'colour'.*use one of: name, value .*sort=-value"):
        TABLE.parse("-colour")


def test_header_links_keep_the_filters_reset_the_page_and_flip_the_sorted_column() -> None:
    view = table_view(TABLE, Sort("name"), "/x", {"q": "ma", "page": "3", "sort": "name", "empty": ""})
    assert view.links == {"name": "/x?q=ma&sort=-name", "value": "/x?q=ma&sort=value"}
    assert (view.aria_sort("name"), view.aria_sort("value")) == ("ascending", None)
    assert table_view(TABLE, Sort("name", True), "/x", {}).aria_sort("name") == "descending"


# the pages
def _rows(html: str, pattern: str = COUNTRY_ROW) -> list[str]:
    return re.findall(pattern, html)


def _bad_sort(client: Any, path: str, lang: str, *keys: str) -> None:
    joiner = "&" if "?" in path else "?"
    response = client.get(f"{path}{joiner}sort=nonsense&lang={lang}")
    assert response.status_code == 400, path
    assert "nonsense" in response.text and all(key in response.text for key in keys), response.text


@pytest.mark.parametrize(
    ("lang", "by_name"),
    [("nl", ["MLI", "NLD", "UKR", "SYR"]), ("en", ["MLI", "NLD", "SYR", "UKR"])],  # Oekraïne < Syrië
)
def test_countries_table_sorts_filters_and_refuses_a_bad_key(
    client: Any, lang: str, by_name: list[str]
) -> None:
    html = client.get(f"/landen?lang={lang}").text
    assert _rows(html) == by_name
    assert re.search(
        r'<th scope="col" aria-sort="ascending"><a href="/landen\?lang=\w\w&amp;sort=-name">', html
    )
    assert _rows(client.get(f"/landen?sort=-name&lang={lang}").text) == by_name[::-1]
    assert _rows(client.get(f"/landen?sort=gwcode&lang={lang}").text) == ["NLD", "UKR", "MLI", "SYR"]
    assert _rows(client.get(f"/landen?sort=-gwcode&lang={lang}").text) == ["SYR", "MLI", "UKR", "NLD"]
    sahel = client.get(f"/landen?region=sahel&sort=-name&lang={lang}").text
    assert _rows(sahel) == ["MLI"] and 'value="-name"' in sahel  # the form keeps the order
    _bad_sort(client, "/landen", lang, "name", "iso3", "gwcode")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_driver_ranking_sorts_by_value_name_and_rank_and_filters_by_country(client: Any, lang: str) -> None:
    ranked = _rows(client.get(f"/drijvers?lang={lang}").text)
    assert len(ranked) == 4
    values = client.get(f"/drijvers?sort=value&lang={lang}").text
    shown = re.findall(r'</a></th><td class="num">([^<]+)</td>', values)
    numbers = [parse_decimal(text, locale=lang) for text in shown]
    assert numbers == sorted(numbers) and len(numbers) == 4
    ranks = r'<tr><td class="num">(\d+)</td>'
    ascending = [int(rank) for rank in re.findall(ranks, client.get(f"/drijvers?lang={lang}").text)]
    descending = [
        int(rank) for rank in re.findall(ranks, client.get(f"/drijvers?sort=-rank&lang={lang}").text)
    ]
    assert ascending == sorted(ascending) and descending == sorted(descending, reverse=True)
    assert ascending == [1, 1, 1, 1]  # the test store's four countries have the same value: one shared rank
    assert sorted(_rows(client.get(f"/drijvers?sort=-rank&lang={lang}").text)) == sorted(ranked)
    searched = client.get(f"/drijvers?q=syr&lang={lang}").text
    assert _rows(searched) == ["SYR"]
    assert searched.count('class="no-data"') <= values.count('class="no-data"')  # the map keeps every country
    _bad_sort(client, "/drijvers", lang, "rank", "name", "value")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sources_table_sorts_and_filters_by_text_and_status(client: Any, lang: str) -> None:
    tables = r'<tr id="(\w+)">'
    everything = _rows(client.get(f"/bronnen?lang={lang}").text, tables)
    assert everything == sorted(everything) and len(everything) > 2
    assert _rows(client.get(f"/bronnen?sort=-table&lang={lang}").text, tables) == everything[::-1]
    ucdp = _rows(client.get(f"/bronnen?q=ucdp&lang={lang}").text, tables)
    assert ucdp and set(ucdp) < set(everything) and all("ucdp" in name for name in ucdp)
    stale = _rows(client.get(f"/bronnen?status=stale&lang={lang}").text, tables)
    current = _rows(client.get(f"/bronnen?status=current&lang={lang}").text, tables)
    assert sorted(stale + current) == sorted(everything) and not set(stale) & set(current)
    assert client.get(f"/bronnen?status=old&lang={lang}").status_code == 400
    _bad_sort(client, "/bronnen", lang, "table", "dataset", "vintage")


@pytest.mark.parametrize(("lang", "lgbm"), [("nl", "GBVS-model (LightGBM)"), ("en", "GBVS model (LightGBM)")])
def test_performance_tables_sort_by_a_metric_and_filter_by_model(client: Any, lang: str, lgbm: str) -> None:
    def models(query: str) -> list[str]:
        html = client.get(f"/modelprestaties?{query}&lang={lang}").text
        scores = html.split('id="scores"', 1)[1].split("</table>", 1)[0]
        return re.findall(r'<th scope="row">([^<]+)</th>', scores)

    up, down = models("sort=ap"), models("sort=-ap")  # persistence 0.78, lgbm 0.90
    assert len(up) == 4 and up[-1] == lgbm and up[0] != lgbm
    assert down[:2] == [lgbm, lgbm]
    assert set(models("model=lgbm")) == {lgbm}
    html = client.get(f"/modelprestaties?sort=-ap&lang={lang}").text
    assert 'aria-sort="descending"' in html
    assert client.get(f"/modelprestaties?model=forest&lang={lang}").status_code == 400
    _bad_sort(client, "/modelprestaties", lang, "model", "brier", "ap")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_displacement_ranking_sorts_and_filters(client: Any, lang: str) -> None:
    origin = r'<th scope="row"><a href="/landen/(\w+)#displacement'
    ranked = _rows(client.get(f"/ontheemding?lang={lang}").text, origin)
    assert ranked == ["SYR", "UKR", "MLI"]  # by forecast applications, as the API (not the Netherlands)
    assert _rows(client.get(f"/ontheemding?sort=median&lang={lang}").text, origin) == ranked[::-1]
    assert _rows(client.get(f"/ontheemding?sort=-median&lang={lang}").text, origin) == ranked
    by_name = _rows(client.get(f"/ontheemding?sort=name&horizon=2&lang={lang}").text, origin)
    assert by_name == (["MLI", "UKR", "SYR"] if lang == "nl" else ["MLI", "SYR", "UKR"])  # Oekraïne, Syrië
    assert _rows(client.get(f"/ontheemding?q=mal&lang={lang}").text, origin) == ["MLI"]
    _bad_sort(client, "/ontheemding", lang, "rank", "median", "risk")
