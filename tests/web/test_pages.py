"""Server-rendered pages over the small store: every page type in both languages, readable without script."""

from __future__ import annotations

import re
from typing import Any

import pytest

PAGES = {
    "overview": "/",
    "strategy": "/strategie",
    "goal": "/strategie/doelen/1",
    "trends": "/strategie/trends",  # analyst (issue 12, fix 14)
    "interests": "/strategie/belangen",  # analyst (issue 12, fix 14)
    "strategy-drivers": "/strategie/drijvers",  # the drivers of §2.2 a forecast's explanation links to
    "help": "/uitleg",  # help, glossary and whom to ask
    "countries": "/landen",
    "country": "/landen/SYR",
    "drivers": "/drijvers?indicator=vdem_v2x_pubcorr&year=2020",
    "performance": "/modelprestaties",
    "demspaces": "/democratische-ruimte?show=all",  # DemSpaces beside GBVS, every country (issue 11)
    "sources": "/bronnen",
    "accessibility": "/toegankelijkheid",
    # early action
    "actions": "/vroege-actie",
    "action-case": "/vroege-actie/1",
    "action-new": "/vroege-actie/nieuw?bron=alert&ref=forecast-new:432",
    "action-gap": "/vroege-actie/respons",
    "opinion": "/publieksopinie",  # public opinion (issue 15)
    "displacement": "/ontheemding?horizon=2",  # forced displacement (issue 17)
    "compare": "/vergelijken?landen=SYR,MLI",  # analyst (issue 12): countries side by side
}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_renders_in_both_languages(client: Any, path: str, lang: str) -> None:
    sep = "&" if "?" in path else "?"
    response = client.get(f"{path}{sep}lang={lang}")
    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert f'<html lang="{lang}">' in html
    assert "<script>" not in html and " on" + "click=" not in html  # no inline script (CSP forbids it)
    assert html.count("<h1") == 1
    assert re.search(r"<head>.*<title>[^<]+</title>.*</head>", html, re.S), (
        "the page title must be plain text"
    )
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert "https://" not in re.sub(r'<a [^>]*href="https://[^"]*"', "", html)  # no external resources


def test_dutch_is_the_default_and_the_switch_sets_a_cookie(client: Any) -> None:
    assert "Bronnen" in client.get("/bronnen").text
    response = client.get("/bronnen?lang=en")
    assert "gbvs_lang=en" in response.headers["set-cookie"]
    assert "<h1>Sources</h1>" in response.text
    assert "<h1>Sources</h1>" in client.get("/bronnen").text  # the cookie keeps English
    assert 'hreflang="nl"' in response.text


def test_every_chart_has_a_text_alternative(client: Any) -> None:
    for path in ("/", "/landen/SYR", "/drijvers", "/modelprestaties", "/vroege-actie/respons"):
        html = client.get(path).text
        for svg in re.findall(r"<svg[^>]*>", html):
            assert 'role="img"' in svg and "aria-labelledby" in svg
        assert html.count("<svg") <= html.count("<table"), path


def test_overview_shows_watchlist_alerts_map_and_provenance(client: Any) -> None:
    html = client.get("/?lang=en").text
    assert "lgbm-test-1" in html and "UCDP ACD 25.1 (2023)" in html
    assert 'href="/landen/SYR"' in html and "very high" in html
    assert 'class="map"' in html and "risk-very_high" in html
    assert "jump of" in html  # Mali's change raised an alert


def test_country_profile_shows_history_forecast_explanation_drivers_and_goals(client: Any) -> None:
    html = client.get("/landen/MLI?lang=en").text
    for needle in ("Conflict history", "Forecast", "Explanation", "conflict history", "Driver indicators"):
        assert needle in html
    assert "/strategie/doelen/" in html  # Mali is in the Sahel, a focus region of some goals
    assert "lgbm-test-1" in html


def test_goal_page_lists_focus_countries_with_evidence(client: Any) -> None:
    from gbvs.strategy import load_strategy

    goal = load_strategy().goals_for_country("MLI")[0]
    html = client.get(f"/strategie/doelen/{goal.number}?lang=en").text
    assert 'href="/landen/MLI"' in html
    forecasts = html.split("conflict forecasts for the focus countries")[1].split("</table>")[0]
    assert "/landen/MLI" in forecasts and "61%" in forecasts  # Mali's latest incidence forecast


def test_driver_monitor_filters_by_focus_region(client: Any) -> None:
    html = client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=2020&region=sahel").text
    table = html.split("<tbody>")[-1]
    assert "/landen/MLI" in table and "/landen/NLD" not in table


def test_unknown_country_page_is_a_friendly_404(client: Any) -> None:
    response = client.get("/landen/XYZ")
    assert response.status_code == 404
    assert "XYZ" in response.text and "<nav" in response.text
    assert '<a href="/landen">Terug naar Landen</a>' in response.text  # the list to choose from
    assert "gebruik een code uit /landen (bijvoorbeeld SYR, NLD)" in response.text, (
        "the list page, not the API"
    )
    assert "/api/v1" not in response.text.split("<main", 1)[-1].split("</main>")[0]
    api = client.get("/api/v1/countries/XYZ", headers={"Accept-Language": "en"}).json()
    assert "use a code from /api/v1/countries (e.g. SYR, NLD)" in api["detail"], api


def test_pages_without_a_store_say_how_to_build_it(empty_client: Any) -> None:
    response = empty_client.get("/landen")
    assert response.status_code == 503
    assert "gbvs ingest" in response.text and "text/html" in response.headers["content-type"]


def test_no_page_fails_before_ingest_and_db_upgrade(empty_client: Any) -> None:
    """Before `gbvs ingest` and `gbvs db upgrade` every page answers, none with a server error: the
    threat-assessment pages opened their own database session and ended in a 500 (found by
    benchmarks/fuzz_pages.py); now they, like the signals and early-action pages, say to migrate."""
    from gbvs.web.app import all_routes

    paths = sorted(
        re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: "SYR" if m.group(1) == "iso3" else "1", route.path)
        for route in all_routes(empty_client.app.routes)
        if "GET" in route.methods and not route.path.startswith("/api/")
    )
    assert len(paths) > 30
    statuses = {path: empty_client.get(path, follow_redirects=False).status_code for path in paths}
    assert not {path: code for path, code in statuses.items() if code >= 500 and code != 503}
    for path in ("/dreigingen", "/dreigingen/resultaten", "/dreigingen/1"):
        response = empty_client.get(path)
        assert response.status_code == 503 and "gbvs db upgrade" in response.text, path
    api = empty_client.get("/api/v1/scenarios")  # the API's scenarios opened their own session too
    assert api.status_code == 503 and "gbvs db upgrade" in api.json()["detail"]


def test_overview_without_forecasts_says_how_to_make_them(no_forecast_client: Any) -> None:
    """The reader is told what is missing in words; the command is for whoever maintains GBVS, in a
    disclosure, with the technical reason in Dutch on a Dutch page too."""
    response = no_forecast_client.get("/")
    assert response.status_code == 200
    notice = re.search(
        r'<div class="notice"><p>([^<]+)</p>\s*<details class="maintainer">(.+?)</details>',
        response.text,
        re.S,
    )
    assert notice, "no notice with a disclosure for the maintainer"
    assert notice.group(1) == "Nog geen voorspellingen; de gegevens in de opslag zijn al te bekijken."
    assert "<summary>Voor wie GBVS beheert</summary>" in notice.group(2)
    assert "<code>gbvs forecast</code>" in notice.group(2) and 'lang="en"' not in notice.group(2)
    assert "Nog geen voorspellingsbestand op" in notice.group(2)


def test_pages_have_security_headers(client: Any) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        (
            "nl",
            [
                "Gemiddelde precisie",
                "Basislijn: persistentie",
                "krimp (de democratische ruimte wordt kleiner)",
            ],
        ),
        ("en", ["Average precision", "Baseline: persistence", "closing (democratic space shrinks)"]),
    ],
)
def test_performance_page_names_metrics_models_and_directions(
    client: Any, lang: str, names: list[str]
) -> None:
    html = client.get(f"/modelprestaties?lang={lang}").text
    for name in names:
        assert name in html
    assert "<code>roc_auc</code>" in html  # the glossary still names the API ids
    assert not re.search(r"<th[^>]*>(ap|roc_auc|brier|lgbm|persistence|direction)</th>", html)


def test_performance_page_shows_the_democratic_space_reliability_per_direction(client: Any) -> None:
    html = client.get("/modelprestaties?lang=nl").text
    assert "democratische sluiting, de zes ruimtes samengenomen" in html
    assert "democratische opening, de zes ruimtes samengenomen" not in html  # no opening curve stored
    assert "37,7%" in html  # the closing curve's point, in the table under the chart
    english = client.get("/modelprestaties?lang=en").text
    assert "democratic closing, the six spaces pooled" in english


def test_quick_backtest_is_marked_as_not_comparable_with_the_goals(
    client: Any, quick_backtest_client: Any
) -> None:
    assert "snelle terugtoets" not in client.get("/modelprestaties?lang=nl").text
    html = quick_backtest_client.get("/modelprestaties?lang=nl").text
    assert "snelle terugtoets" in html and "niet vergelijkbaar met de doelen" in html


def test_overview_alerts_are_in_dutch(client: Any) -> None:
    html = client.get("/?lang=nl").text
    alerts = html[html.index('id="alerts-h"') : html.index('id="top-h"')]
    assert "procentpunten" in alerts and 'lang="en"' not in alerts


@pytest.mark.parametrize("path", ["/strategie", "/strategie/trends"])
def test_the_dutch_title_of_the_strategy_is_marked_dutch_on_english_pages(client: Any, path: str) -> None:
    """WCAG 3.1.2: a screen reader reads the cited title with Dutch pronunciation on an English page."""
    assert '<span lang="nl">Wereldwijd voor een veilig Nederland.' in client.get(f"{path}?lang=en").text


def test_the_strategy_page_gives_the_reporting_commitment_of_chapter_5_and_how_it_is_read(
    client: Any,
) -> None:
    """Chapter 5 (p. 42): progress is reported "tweejaarlijks" to the Tweede Kamer; the page says so and
    that GBVS reads it as once every two years, in the reader's language."""
    html = client.get("/strategie?lang=nl").text
    section = html[html.index('id="reporting-h"') :]
    assert "Uitvoering en rapportage aan de Tweede Kamer" in section
    assert "zal tweejaarlijks worden gerapporteerd aan de Tweede Kamer" in section and "p. 42" in section
    assert "halfjaarlijks" in section
    english = client.get("/strategie?lang=en").text
    assert '<blockquote lang="nl"><p>Over de voortgang van de GBVS zal tweejaarlijks' in english
    assert "once every two years" in english and "twice a year" in english


def test_a_focus_region_says_why_its_countries_are_in_it(client: Any) -> None:
    """The text lists no region's members: the page gives the region's membership basis and marks with *
    the countries that are in it by GBVS's choice (the small store holds only countries the text names:
    Syria in §2.2, Mali, Ukraine)."""
    html = client.get("/landen?region=ring_around_europe&lang=nl").text
    assert "Oost-Europa en de Zuidelijke Kaukasus is een keuze van GBVS" in html
    assert "Landen met een * noemt de strategietekst niet" in html
    rows = dict(re.findall(r'<a href="/landen/([A-Z]{3})">[^<]*</a>( \*)?</th>', html))
    assert rows == {"SYR": "", "MLI": "", "UKR": ""}
    english = client.get("/landen?region=ring_around_europe&lang=en").text
    assert (
        "Eastern Europe and the South Caucasus is GBVS" in english
        and "Countries marked * are not named" in english
    )
    assert "Landen met een *" not in client.get("/landen?lang=nl").text


def test_driver_indicators_show_whole_numbers_without_decimals(client: Any) -> None:
    """A regime's age in years is a whole number ("28", not "28,00"); a V-Dem index keeps the three
    decimals V-Dem publishes."""
    html = client.get("/landen/MLI").text
    start = html.index('id="drivers"')
    section = html[start : html.index("</section>", start)]
    assert "Meest recent: 28 (2018)." in section  # Polity5 durable
    assert "Meest recent: 0,530 (2023)." in section  # V-Dem public-sector corruption
    assert '<th scope="row">2018</th><td class="num">0,480</td><td class="num">28</td>' in section


def test_a_drivers_quoted_title_is_not_followed_by_a_second_punctuation_mark(client: Any) -> None:
    """The strategy's driver titles end in a full stop: no colon after it ("energietransitie.:")."""
    html = client.get("/strategie/doelen/1").text
    assert "energietransitie.</strong> De effecten" in html
    assert ".</strong>:" not in html


def test_a_yes_no_indicator_has_a_legend_in_words(client: Any) -> None:
    """The legend of armed conflict read "0 0/1 (no/yes) (countries: 3)"."""
    html = client.get("/drijvers?indicator=conflict&year=2020&lang=en").text
    legend = html[html.index('class="legend-list"') :].split("</ul>")[0]
    assert "0/1" not in legend and re.search(r"</span>(no|yes) \(countries: \d+\)", legend)


def test_english_sentences_put_the_before_the_netherlands(client: Any) -> None:
    """'Conflict history of Netherlands' read as a translation, not as English."""
    english = client.get("/landen/NLD?lang=en").text
    assert "Conflict history of the Netherlands" in english and "of Netherlands" not in english
    assert "Conflictgeschiedenis van Nederland" in client.get("/landen/NLD?lang=nl").text
    assert "Conflict history of Syria" in client.get("/landen/SYR?lang=en").text


def test_country_page_driver_figures_say_which_way_the_risk_goes(client: Any) -> None:
    """Driver review: each indicator says whether a higher value means more or less risk."""
    html = client.get("/landen/MLI?lang=en").text
    section = html[html.index('id="drivers"') : html.index("</section>", html.index('id="drivers"'))]
    figures = section.count("<figcaption>")
    said = section.count("means more risk.") + section.count("means less risk.")
    said += section.count("The risk does not simply rise or fall with this value.")
    assert figures and said == figures
