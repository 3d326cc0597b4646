"""WCAG 2.1 AA success criteria that axe-core does not check, on every page in both languages.

Headless Chromium (tests/web/browser.py) over the small test store; the pages only a coordinator sees (the
consultation's codebook, a round's page with its deadline and who has not scored yet) on a remote-mode
site the browser is logged in to as its coordinator (tests/web/coordinatorbuilder.py), the others on the
loopback site, whose user is an analyst. Each test is marked with the
criteria it checks (``wcag``); the accessibility statement lists them (src/gbvs/web/wcag-criteria.yaml),
and ``pytest --record-wcag`` writes the outcome per criterion to src/gbvs/web/wcag-results.json.
The checks themselves are in tests/web/wcag.py; the ``*_check_finds_*`` tests show they can fail.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from tests.web import coordinatorbuilder

pytestmark = pytest.mark.browser

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
    "drivers": "/drijvers",
    "performance": "/modelprestaties",
    "demspaces": "/democratische-ruimte?show=all",  # DemSpaces beside GBVS, every country (issue 11)
    "sources": "/bronnen",
    "watchlist": "/aandachtslijst",  # analyst (issue 12)
    "accessibility": "/toegankelijkheid",
    # early action
    "actions": "/vroege-actie",
    "action-case": "/vroege-actie/1",
    "action-new": "/vroege-actie/nieuw",
    "action-gap": "/vroege-actie/respons",
    "opinion": "/publieksopinie",  # public opinion (issue 15)
    "login": "/aanmelden",
    # signals register (issue 10)
    "signals": "/signalen",
    "signal": "/signalen/1",
    "signal-new": "/signalen/nieuw",
    "signal-statistics": "/signalen/statistieken",
    "cases": "/zaken",
    "case": "/zaken/1",
    "login-form": "/aanmelden",  # served in remote mode, where it shows the form
    "error": "/landen/XYZ",
    # threat assessment (issue 13)
    "scenarios": "/dreigingen",
    "scenario-closed": "/dreigingen/1",
    "scenario-open": "/dreigingen/2",
    "assessment-results": "/dreigingen/resultaten",
    "displacement": "/ontheemding",  # forced displacement (issue 17)
    "compare": "/vergelijken?landen=SYR,MLI,NLD",  # analyst (issue 12): countries side by side
    "compare-form": "/vergelijken",
    "progress-draft": "/voortgang/concepten/1",  # progress report (issue 14)
    # a coordinator's (logged in on the remote site; an analyst is refused them)
    "codebook": "/publieksopinie/consultaties/gbvs-test/codeboek",
    "scenario-deadline": "/dreigingen/1",  # the round with its deadline and who has not scored yet
}
REMOTE = {"login-form"}
COORDINATOR = {"codebook", "scenario-deadline"}
FORMS = {
    "drivers": "/drijvers",
    "login-form": "/aanmelden",
    "signals": "/signalen",
    "action-new": "/vroege-actie",
    "displacement": "/ontheemding",  # forced displacement (issue 17)
    "watchlist": "/aandachtslijst",
    "compare-form": "/vergelijken",
    "scenario-deadline": "/dreigingen/1/ronde",  # the deadline, close and reopen forms of the round
}  # page -> the form's action
LANGS = ["nl", "en"]
every_page = pytest.mark.parametrize("name", PAGES.keys())
both_languages = pytest.mark.parametrize("lang", LANGS)


@pytest.fixture
def open_page(browser: Any, live_server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Open a page by name at a viewport width: ``open_page("sources", "en", width=320)``; a
    coordinator's page logged in as the coordinator."""
    contexts = []

    def opener(name: str, lang: str, width: int = 1280, height: int = 900) -> Any:
        options: dict[str, Any] = {"bypass_csp": True, "viewport": {"width": width, "height": height}}
        if name in COORDINATOR:
            base = request.getfixturevalue("coordinator_server")
            options["storage_state"] = request.getfixturevalue("coordinator_login")
        else:
            base = request.getfixturevalue("remote_server") if name in REMOTE else live_server
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        path = PAGES[name]
        response = page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert name == "error" or response.status == 200, (name, response.status)  # not a refusal page
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.mark.wcag("1.4.10")
@both_languages
@every_page
def test_reflow_at_320_css_px(open_page: Any, wcag_tools: Any, name: str, lang: str) -> None:
    page = open_page(name, lang, width=wcag_tools.REFLOW_WIDTH, height=640)
    problems = wcag_tools.reflow_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.wcag("axe")
@both_languages
@pytest.mark.parametrize("name", sorted(COORDINATOR))
def test_a_coordinators_pages_pass_axe_logged_in(
    open_page: Any, browser_tools: Any, name: str, lang: str
) -> None:
    """tests/web/test_browser.py runs axe on the loopback site, whose analyst is refused these pages."""
    page = open_page(name, lang)
    assert page.get_attribute("html", "lang") == lang
    violations = browser_tools.axe_violations(page)
    assert not violations, violations


@both_languages
def test_the_round_page_shows_its_deadline_and_who_has_not_scored_to_its_coordinator(
    open_page: Any, lang: str
) -> None:
    """The coordinator's round page the checks above run on has what they are meant to check."""
    page = open_page("scenario-deadline", lang)
    assert coordinatorbuilder.SCENARIO_TITLE in page.inner_text("h1")
    assert page.locator("#round-deadline strong").count() == 1 and page.locator("#deadline-form").count() == 1
    not_scored = page.inner_text("#round-not-scored")
    assert not_scored.endswith(": " + ", ".join(coordinatorbuilder.NOT_SCORED) + ".")
    assert not_scored.startswith("Nog niet gescoord" if lang == "nl" else "Not scored yet")


@pytest.mark.wcag("1.4.10")
def test_the_reflow_check_finds_a_too_wide_element(open_page: Any, wcag_tools: Any) -> None:
    page = open_page("sources", "nl", width=wcag_tools.REFLOW_WIDTH, height=640)
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<p id="too-wide" style="width: 600px">Te breed</p>\')'
    )
    problems = wcag_tools.reflow_problems(page)
    assert any("scrolls horizontally" in problem for problem in problems), problems
    assert any("p#too-wide" in problem for problem in problems), problems


@pytest.mark.wcag("1.4.12")
@both_languages
@every_page
def test_text_spacing_loses_no_text(open_page: Any, wcag_tools: Any, name: str, lang: str) -> None:
    for width in (1280, wcag_tools.REFLOW_WIDTH):
        page = open_page(name, lang, width=width)
        page.add_style_tag(content=wcag_tools.TEXT_SPACING_CSS)
        problems = wcag_tools.text_problems(page)
        assert not problems, f"at {width} px:\n" + "\n".join(problems)


@pytest.mark.wcag("1.4.12")
def test_the_text_check_finds_clipped_and_overlapping_text(open_page: Any, wcag_tools: Any) -> None:
    page = open_page("sources", "en")
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('afterbegin',
        '<p id="clipped" style="height: 1.2em; overflow: hidden">one two three four five six seven ' +
        'eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen ' +
        'twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six twenty-seven</p>' +
        '<p id="overlapped" style="margin-bottom: -1em">covered text</p><p>covering text</p>')"""
    )
    page.add_style_tag(content=wcag_tools.TEXT_SPACING_CSS)
    problems = wcag_tools.text_problems(page)
    assert any("p#clipped" in problem and "vertically" in problem for problem in problems), problems
    assert any("p#overlapped" in problem and "overlap" in problem for problem in problems), problems


@pytest.mark.wcag("1.4.4")
@both_languages
@every_page
def test_text_resized_to_200_percent_loses_nothing(
    open_page: Any, wcag_tools: Any, name: str, lang: str
) -> None:
    page = open_page(name, lang, width=1280)
    before = wcag_tools.body_font_size(page)
    page.add_style_tag(content=wcag_tools.TEXT_200_CSS)
    assert wcag_tools.body_font_size(page) >= 1.95 * before  # the text really grew
    problems = wcag_tools.text_problems(page) + wcag_tools.reflow_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.wcag("2.1.1", "2.1.2", "3.2.1")
@both_languages
@every_page
def test_tab_reaches_every_control(open_page: Any, wcag_tools: Any, name: str, lang: str) -> None:
    page = open_page(name, lang)
    url = page.url
    controls = wcag_tools.focusable(page)
    assert controls, "a page without any control: the skip link and navigation are missing"
    limit = wcag_tools.tab_presses(page) + 5
    states = wcag_tools.tab_through(page, limit=limit)
    reached = {state["index"] for state in states}
    missing = [where for index, where in enumerate(controls) if str(index) not in reached]
    assert not missing, "not reached with Tab:\n" + "\n".join(missing)
    assert len(states) < limit, "focus never left the page: a keyboard trap"  # 2.1.2
    assert page.url == url, "moving the focus changed the page"  # 3.2.1


@pytest.mark.wcag("2.4.1")
@both_languages
@every_page
def test_the_first_tab_stop_skips_to_the_content(
    open_page: Any, wcag_tools: Any, name: str, lang: str
) -> None:
    page = open_page(name, lang)
    first = wcag_tools.tab_through(page, limit=1)[0]
    assert "skip-link" in first["where"] and first["inView"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


@pytest.mark.wcag("2.4.2")
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_type_has_its_own_title(open_page: Any, lang: str) -> None:
    titles = {}
    for name in PAGES:
        title = open_page(name, lang).title()
        assert title.endswith(" – GBVS") and len(title) > len(" – GBVS"), (name, title)
        titles[name] = title
    same = {name: title for name, title in titles.items() if list(titles.values()).count(title) > 1}
    assert set(same) <= {"login", "login-form"}, same  # only the two states of the login page share one


@pytest.mark.wcag("3.2.3")
@pytest.mark.parametrize("lang", LANGS)
def test_the_navigation_is_the_same_on_every_page(open_page: Any, lang: str) -> None:
    menus = {}
    for name in PAGES:
        page = open_page(name, lang)
        menus[name] = page.eval_on_selector_all(
            ".main-nav a, .lang-switch a", "links => links.map(a => a.textContent.trim())"
        )
    assert len({tuple(menu) for menu in menus.values()}) == 1, menus


@pytest.mark.wcag("1.3.4")
@pytest.mark.parametrize("lang", LANGS)
@every_page
def test_pages_work_in_portrait_and_landscape(open_page: Any, wcag_tools: Any, name: str, lang: str) -> None:
    texts = []
    for width, height in ((390, 844), (844, 390)):
        page = open_page(name, lang, width=width, height=height)
        problems = wcag_tools.reflow_problems(page)
        assert not problems, f"{width}x{height}:\n" + "\n".join(problems)
        texts.append(page.inner_text("main"))
    assert texts[0] == texts[1], "the content differs between portrait and landscape"


@pytest.mark.wcag("2.4.7", "1.4.11")
@both_languages
@every_page
def test_focus_is_visible_on_every_control(open_page: Any, wcag_tools: Any, name: str, lang: str) -> None:
    page = open_page(name, lang)
    states = wcag_tools.tab_through(page, limit=wcag_tools.tab_presses(page) + 5)
    assert states
    assert not wcag_tools.hidden_focus(states), "no visible focus:\n" + "\n".join(
        wcag_tools.hidden_focus(states)
    )


@pytest.mark.wcag("2.4.7", "1.4.11")
def test_the_focus_check_finds_a_faint_indicator(open_page: Any, wcag_tools: Any) -> None:
    page = open_page("signal-new", "nl")
    page.add_style_tag(
        content="#f-title:focus { outline: 3px solid #fafafa !important; box-shadow: none !important; }"
    )
    states = wcag_tools.tab_through(page, limit=wcag_tools.tab_presses(page) + 5)
    assert [
        problem
        for problem in wcag_tools.hidden_focus(states)
        if "input#f-title" in problem and ":1" in problem
    ]


@pytest.mark.wcag("2.4.3")
@both_languages
@pytest.mark.parametrize("name", FORMS.keys())
def test_focus_order_of_forms_follows_reading_order(
    open_page: Any, wcag_tools: Any, name: str, lang: str
) -> None:
    page = open_page(name, lang, width=wcag_tools.REFLOW_WIDTH)
    states = wcag_tools.distinct(wcag_tools.tab_through(page, limit=wcag_tools.tab_presses(page) + 5))
    in_form = [state for state in states if state["form"] == FORMS[name]]
    assert len(in_form) >= 2
    indexes = [int(state["index"]) for state in in_form]
    assert indexes == sorted(indexes), "focus order differs from the order in the document"
    for before, after in itertools.pairwise(in_form):
        reads_next = after["top"] > before["top"] + 4 or (
            abs(after["top"] - before["top"]) <= 4 and after["left"] > before["left"]
        )
        assert reads_next, f"{after['where']} comes after {before['where']} but is shown before it"


@pytest.mark.wcag("2.1.1", "3.2.2")
@pytest.mark.parametrize("lang", LANGS)
def test_the_filter_form_works_with_the_keyboard_alone(open_page: Any, lang: str) -> None:
    page = open_page("drivers", lang)
    page.focus("#f-region")
    page.keyboard.press("End")  # a closed select changes its value with the keyboard
    chosen = page.eval_on_selector("#f-region", "el => el.value")
    assert chosen and page.url.endswith(f"?lang={lang}")  # changing a filter does not reload the page
    page.keyboard.press("Tab")  # after the region comes the country text filter
    assert page.evaluate("() => document.activeElement.id") == "f-q"
    page.keyboard.type("a")
    page.keyboard.press("Tab")  # the text filter is the last one: next comes the button
    assert page.evaluate("() => document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"region={chosen}" in page.url and "q=a" in page.url


@pytest.mark.wcag("2.1.1")
def test_disclosures_language_switch_and_table_regions_work_with_the_keyboard(
    open_page: Any, wcag_tools: Any
) -> None:
    page = open_page("country", "en", width=wcag_tools.REFLOW_WIDTH)
    summary = page.locator("main details > summary").first  # the page's own (the header menu: below)
    summary.focus()
    page.keyboard.press("Enter")
    assert summary.evaluate("el => el.parentElement.open")
    region = page.locator(".table-wrap[role=region]").first
    region.focus()
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # the table is wider than 320 px
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
    page.locator(".lang-switch a[hreflang=nl]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == "nl"


@pytest.mark.wcag("1.4.11")
@both_languages
@every_page
def test_chart_marks_and_map_classes_have_3_to_1_contrast(
    open_page: Any, wcag_tools: Any, name: str, lang: str
) -> None:
    page = open_page(name, lang)
    problems = wcag_tools.contrast_of_marks(page)["problems"] + wcag_tools.control_border_problems(page)
    assert not problems, "below 3:1:\n" + "\n".join(problems)


@pytest.mark.wcag("1.4.11")
def test_the_contrast_check_finds_faint_field_borders(open_page: Any, wcag_tools: Any) -> None:
    page = open_page("signal-new", "en")
    assert not wcag_tools.control_border_problems(page)
    page.add_style_tag(content="#f-title, #f-kind { border: 1px solid #d8d8d8 !important; }")
    problems = wcag_tools.control_border_problems(page)
    assert any("input#f-title" in problem for problem in problems), problems
    assert any("select#f-kind" in problem for problem in problems), problems


@pytest.mark.wcag("1.4.11")
@pytest.mark.parametrize("name", ["overview", "country", "drivers"])
def test_the_contrast_check_sees_marks_and_finds_faint_ones(
    open_page: Any, wcag_tools: Any, name: str
) -> None:
    page = open_page(name, "nl")
    assert wcag_tools.contrast_of_marks(page)["checked"] > 0
    faint = "svg .bar, svg .line, svg path, svg circle { fill: #f4f4f4 !important; stroke: none !important; }"
    page.add_style_tag(content=faint)
    assert wcag_tools.contrast_of_marks(page)["problems"] != []


@pytest.mark.wcag("3.3.1")
@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_form_names_the_fields_and_takes_the_focus(
    open_page: Any, wcag_tools: Any, lang: str
) -> None:
    page = open_page("signal-new", lang)
    with page.expect_navigation():
        page.locator("form.signal-form [type=submit]").click()
    assert page.title().startswith(("Fout: ", "Error: ")), page.title()  # 2.4.2: the title says so
    problems = wcag_tools.error_problems(page)
    assert problems["fields"], "the refused form marks no field as invalid"
    assert not problems["problems"], "\n".join(problems["problems"])


NARROW_SCREENS = [(320, 640), (640, 400)]
"""320 CSS px (1.4.10), and a 1280 x 800 screen at 200% zoom (1.4.4), which is 640 x 400 CSS px."""


@pytest.mark.wcag("1.4.10")
@pytest.mark.parametrize(("width", "height"), NARROW_SCREENS)
@both_languages
def test_on_a_narrow_screen_the_header_folds_into_a_menu_and_the_content_starts_in_the_first_screen(
    open_page: Any, width: int, height: int, lang: str
) -> None:
    """The thirteen links of the navigation took half the screen at 200% zoom, the content below it."""
    page = open_page("country", lang, width=width, height=height)
    heading = page.locator("main h1").bounding_box()
    assert heading is not None and heading["y"] + heading["height"] <= height / 2, heading
    navigation = page.locator(".main-nav")
    assert not navigation.is_visible() and page.locator(".lang-switch a").is_visible()
    page.locator(".site-menu > summary").focus()
    page.keyboard.press("Enter")  # a disclosure: no JavaScript needed
    assert navigation.is_visible() and page.locator(".country-search input").is_visible()
    assert page.locator(".main-nav a").last.is_visible()


def test_on_a_wide_screen_the_navigation_shows_without_a_menu(open_page: Any) -> None:
    page = open_page("country", "nl", width=1280, height=800)
    assert page.locator(".main-nav a").first.is_visible() and page.locator(".country-search").is_visible()
    assert not page.locator(".site-menu > summary").is_visible()
