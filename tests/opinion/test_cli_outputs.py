"""``gbvs opinion estimate`` and ``trend`` on the real mirror: what the analyst reads on the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gbvs.config import Settings

pytestmark = pytest.mark.integration
Run = Callable[..., Any]


@pytest.fixture
def cli(settings: Settings, opinion_mirror: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Run:
    monkeypatch.setenv("GBVS_MIRROR", str(opinion_mirror))
    return run_cli


def test_the_trend_shows_each_waves_base_as_n(cli: Run) -> None:
    shown = cli("opinion", "trend", "eb-trust-parliament-nl", "national_parliament", "--answer", "1")
    assert shown.exit_code == 0, shown.stderr
    assert "2005: 52,2%" in shown.stdout and "(n=1.001)" in shown.stdout and "(n=3.286)" in shown.stdout
    assert "(n=515)" not in shown.stdout  # those who trust parliament in 2005: the count, not n
    english = cli(
        "opinion", "trend", "eb-trust-parliament-nl", "national_parliament", "--answer", "1", "--lang", "en"
    ).stdout
    assert "2005: 52.2%" in english and "(n=1,001)" in english and "(n=3,286)" in english
    points = json.loads(
        cli(
            "opinion", "trend", "eb-trust-parliament-nl", "national_parliament", "--answer", "1", "-f", "json"
        ).stdout
    )["points"]
    wave = next(p for p in points if p["group"] == "2005")
    assert (wave["base"], wave["count"]) == (1001, 515)


def test_a_breakdown_shows_small_groups_flagged_or_not_at_all(cli: Run) -> None:
    shown = cli("opinion", "estimate", "pew-2013-12", "q45", "--by", "party", "--lang", "en")
    assert shown.exit_code == 0, shown.stderr
    assert "Other party (VOL.): not shown, n=10 is under 30" in shown.stdout
    assert "100.0% [100.0-100.0]" not in shown.stdout
    assert "(n=32, small base: under 50)" in shown.stdout


def test_raking_that_does_not_converge_gives_no_estimate(cli: Run) -> None:
    args = ("opinion", "estimate", "pew-2013-12", "q1", "--rake-to", "acs-2017", "--trim", "0.5", "1.5")
    refused = cli(*args, "-f", "json")
    assert refused.exit_code != 0 and refused.stdout == ""
    assert "kwam binnen de afkapgrenzen 0.5-1.5" in refused.stderr, refused.stderr
    assert "de grootste afwijking van een verdeling is 0.0102" in refused.stderr
    shown = cli(*args[:-2], "0.3", "3", "--lang", "en")
    assert shown.exit_code == 0 and "converged in 5 iterations, largest margin error" in shown.stdout
    dutch = cli(*args[:-2], "0.3", "3").stdout
    assert "geconvergeerd in 5 iteraties" in dutch and "Bron: Pew Research Center" in dutch


def test_every_estimate_and_trend_names_its_source_weight_base_and_interval_method(cli: Run) -> None:
    estimate = json.loads(cli("opinion", "estimate", "pew-2013-12", "q1", "-f", "json").stdout)
    source = estimate["provenance"]
    assert "Pew Research Center" in source["citation"] and source["licence"].startswith("MIT")
    assert (source["fieldwork"], source["weight"]) == ("2013-12", "weight")
    assert "strata and clusters are not used" in source["design"]
    shown = cli(
        "opinion", "trend", "eb-trust-parliament-nl", "national_parliament", "--answer", "1", "-l", "en"
    )
    assert "Weight: weight_poststrat; outside the base: 99997, 99999" in shown.stdout
    assert "Source: European Commission, Eurobarometer" in shown.stdout and "Korn-Graubard" in shown.stdout


def test_the_trend_shows_no_change_from_the_non_comparable_1996_wave_and_adjusts_for_the_rest(
    cli: Run,
) -> None:
    args = ("opinion", "trend", "eb-trust-parliament-nl", "national_parliament", "--answer", "1")
    shown = cli(*args, "--lang", "en")
    assert shown.exit_code == 0, shown.stderr
    assert (
        "1996: 74.4%" in shown.stdout
        and "[not comparable: ZA2828 asked whether people rely on" in shown.stdout
    )
    assert "1996->1999: no change shown, the waves are not comparable" in shown.stdout
    assert "2014->2017: +13.6 [+8.9, +18.2] *" in shown.stdout
    assert "after Holm's adjustment over the 7 changes tested" in shown.stdout
    body = json.loads(cli(*args, "-f", "json").stdout)
    assert (body["comparisons"], body["adjustment"]) == (7, "Holm")
    first = body["points"][0]
    assert first["comparability"] == "not comparable" and "rekenen op" in first["reason"]
    assert first["wording"] == {"wave": "ZA2828", "label": "rely on national parliament", "text": None}
    change = body["changes"][0]
    assert change["comparability"] == "not comparable" and change["difference"] is None
    assert change["significant"] is None
    assert all(c["adjusted_p_value"] >= c["p_value"] for c in body["changes"][1:])


def test_the_trend_speaks_dutch_by_default(cli: Run) -> None:
    shown = cli("opinion", "trend", "eb-trust-parliament-nl", "national_parliament", "--answer", "1").stdout
    assert (
        "1996: 74,4% [72,6-76,2] (n=3.286)" in shown
        and "[niet vergelijkbaar: ZA2828 vroeg of men kan rekenen op" in shown
    )
    assert "1996->1999: geen verandering getoond, de metingen zijn niet vergelijkbaar" in shown
    assert "2014->2017: +13,6 [+8,9, +18,2] *" in shown  # percentage points, as the page writes them
    assert "* significant bij 5% na correctie volgens Holm over de 7 geteste veranderingen" in shown
    assert "Gewicht: weight_poststrat; buiten de basis: 99997, 99999" in shown
    assert "Weight:" not in shown and "not comparable" not in shown


@pytest.mark.parametrize(
    ("lang", "weights", "shares", "report"),
    [
        (
            "nl",
            "n = 2.001; gewichten 1,00-8,30, designeffect (Kish) 1,33, effectieve n 1.501;",
            "Keurt goed: 45,3% [42,7-47,8] (n=2.001)",
            "n = 2.001; gewichten 1,000-8,296 (verhouding 8,3); designeffect (Kish) 1,333; "
            "effectieve n 1.501",
        ),
        (
            "en",
            "n = 2,001; weights 1.00-8.30, Kish design effect 1.33, effective n 1,501;",
            "Approve: 45.3% [42.7-47.8] (n=2,001)",
            "n = 2,001; weights 1.000-8.296 (ratio 8.3); Kish design effect 1.333; effective n 1,501",
        ),
    ],
)
def test_estimates_and_weights_write_numbers_the_way_of_their_language(
    cli: Run, lang: str, weights: str, shares: str, report: str
) -> None:
    shown = cli("opinion", "estimate", "pew-2013-12", "q1", "--lang", lang)
    assert shown.exit_code == 0, shown.stderr
    assert weights in shown.stdout and shares in shown.stdout
    assert cli("opinion", "weights", "pew-2013-12", "--lang", lang).stdout.strip() == report
    raked = cli(*("opinion", "estimate", "pew-2013-12", "q1", "--rake-to", "acs-2017", "--trim", "0.3", "3"),
                "--lang", lang).stdout  # fmt: skip
    assert ("afwijking van de marges 3,6E-9" if lang == "nl" else "margin error 3.6E-9") in raked
    assert "weight raked to US Census Bureau, ACS 2017 PUMS" in raked  # the margins' source and vintage
    assert json.loads(cli("opinion", "weights", "pew-2013-12", "-f", "json").stdout)["n"] == 2001


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("nl", "  73%  Onveiligheid buiten Nederland heeft een direct effect op de veiligheid in Nederland"),
        ("en", "  73%  Insecurity outside the Netherlands directly affects security in the Netherlands"),
    ],
)
def test_published_figures_write_their_base_the_way_of_their_language(
    run_cli: Run, settings: Settings, lang: str, line: str
) -> None:
    shown = run_cli("opinion", "published", "--lang", lang).stdout.splitlines()
    base = "(n=1.012)" if lang == "nl" else "(n=1,012)"
    assert any(row.startswith(line) and row.endswith(base) for row in shown)


@pytest.mark.parametrize(
    ("args", "share", "source"),
    [
        ((), "vrouw 50,8%", "bron: CBS StatLine 03759ned"),
        (("--lang", "en"), "vrouw 50.8%", "source: CBS StatLine"),
    ],
)
def test_margins_write_their_shares_and_source_the_way_of_their_language(
    cli: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], share: str, source: str
) -> None:
    monkeypatch.delenv("GBVS_LANGUAGE", raising=False)
    shown = cli("opinion", "margins", "cbs-den-haag-2019", *args)
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("geslacht: man ") and share in lines[0] and lines[-1].startswith(source)
    shares = json.loads(cli("opinion", "margins", "cbs-den-haag-2019", "-f", "json", *args).stdout)
    assert 0.50 < shares["geslacht"]["vrouw"] < 0.51  # JSON keeps plain shares in either language


def test_a_raked_estimate_in_json_carries_the_margins_source_and_vintage(cli: Run) -> None:
    shown = cli(*("opinion", "estimate", "pew-2013-12", "q1", "--rake-to", "acs-2017"),
                *("--rake-on", "sex,recage,receduc", "-f", "json"))  # fmt: skip
    payload = json.loads(shown.stdout)
    raking = payload["raking"]
    assert raking["citation"].startswith("US Census Bureau, ACS 2017 PUMS")
    assert raking["file"] == "opinion/pew/acs_2017_raking_margins_sex_age_educ.csv"
    assert raking["sha256"].startswith("a9c1d071") and raking["dropped"] == 43
    assert payload["provenance"]["weight"] == (
        "weight raked to " + raking["citation"] + " on sex, recage, receduc; "
        "43 respondents without a category in the margins left out"
    )
    assert payload["base"] == 1958


def test_an_estimate_says_its_interval_method_and_base_in_dutch_by_default(cli: Run) -> None:
    shown = cli("opinion", "estimate", "pew-2013-12", "q1").stdout
    assert "intervallen: ontwerpgebaseerd (95%)" in shown and "buiten de basis: (geen antwoord)" in shown
    assert "Intervallen: Korn-Graubard-95%-interval: Clopper-Pearson op de effectieve" in shown
    assert "strata en clusters worden niet gebruikt" in shown
    assert "design-based" not in shown and "(no answer)" not in shown and "strata and clusters" not in shown
    english = cli("opinion", "estimate", "pew-2013-12", "q1", "-l", "en").stdout
    assert "intervals: design-based (95%)" in english and "outside the base: (no answer)" in english
