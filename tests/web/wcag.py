"""WCAG 2.1 AA checks that axe-core does not make, run in the page by Playwright (tests only).

The checks are JavaScript in ``wcag.js`` (injected into the page under test); each returns a list of
problems (empty when the page passes) that name the element (a short CSS path) and the figure that
failed, so a failing test says what to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHECKS_JS = Path(__file__).with_name("wcag.js")
REFLOW_WIDTH = 320  # CSS px: 1.4.10 Reflow
MIN_NON_TEXT_CONTRAST = 3.0  # 1.4.11 Non-text contrast

# The text-spacing bookmarklet of the WCAG working group (1.4.12): these four values at once.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
TEXT_200_CSS = "html { font-size: 200% !important; }"  # 1.4.4: text (not the layout) at twice its size


def _run(page: Any, check: str, *args: Any) -> Any:
    if not page.evaluate("() => typeof window.__wcag === 'object'"):
        page.add_script_tag(path=str(CHECKS_JS))
    return page.evaluate(f"(args) => window.__wcag.{check}(...args)", list(args))


def reflow_problems(page: Any) -> list[str]:
    """1.4.10: what scrolls sideways or sticks out at the current viewport width (tables may scroll in
    their own container, which must then be a focusable, named region)."""
    result: list[str] = _run(page, "reflow")
    return result


def text_problems(page: Any) -> list[str]:
    """Clipped or overlapping text (1.4.12 after TEXT_SPACING_CSS, 1.4.4 after TEXT_200_CSS)."""
    result: list[str] = _run(page, "textProblems")
    return result


def body_font_size(page: Any) -> float:
    """The computed font size of the main text, in CSS px."""
    size: float = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('main')).fontSize)")
    return size


def focusable(page: Any) -> list[str]:
    """Every visible control reachable by Tab, in DOM order, each marked with ``data-wcag-index``."""
    result: list[str] = _run(page, "focusable")
    return result


FIELDS_PER_INPUT = {"date": 3, "datetime-local": 5, "time": 2, "month": 2, "week": 2}
"""Chromium's date and time inputs take one Tab stop per field (day, month, year, hour, minute)."""


def tab_presses(page: Any) -> int:
    """How many Tab presses go through every control of the page (:func:`focusable`, whose date and time
    inputs take one per field); a test presses a few more to see the focus leave the page."""
    focusable(page)  # marks the controls with their data-wcag-index
    kinds: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('[data-wcag-index]')].map((el) => el.type || '')"
    )
    return sum(FIELDS_PER_INPUT.get(kind, 1) for kind in kinds)


def distinct(states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The states of :func:`tab_through` with the repeats of one control (a date input's fields) as one."""
    return [state for i, state in enumerate(states) if i == 0 or states[i - 1]["index"] != state["index"]]


def tab_through(page: Any, limit: int) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus leaves the page or ``limit`` presses; the states."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    states: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = _run(page, "focusState")
        if state is None or (states and state["index"] == states[0]["index"]):
            break
        states.append(state)
    return states


def contrast_of_marks(page: Any) -> dict[str, Any]:
    """1.4.11: chart marks and map shapes whose fill and outline both lack 3:1 against the background."""
    result: dict[str, Any] = _run(page, "contrastOfMarks", MIN_NON_TEXT_CONTRAST)
    return result


def error_problems(page: Any) -> dict[str, Any]:
    """3.3.1 after a refused form: the fields marked invalid, and what keeps the error from being found."""
    result: dict[str, Any] = _run(page, "errorProblems")
    return result


def control_border_problems(page: Any) -> list[str]:
    """1.4.11: form fields whose border (and own background) lack 3:1 against what surrounds them."""
    result: list[str] = _run(page, "controlBorders", MIN_NON_TEXT_CONTRAST)
    return result


def hidden_focus(states: list[dict[str, Any]]) -> list[str]:
    """2.4.7 and 1.4.11: Tab stops without a focus indicator in view, or whose indicator lacks 3:1."""
    return [
        f"{state['where']}: {state['indicator']}, {state['indicatorContrast']:.2f}:1,"
        f" in view: {state['inView']}"
        for state in states
        if not (
            state["visibleIndicator"]
            and state["inView"]
            and state["indicatorContrast"] >= MIN_NON_TEXT_CONTRAST
        )
    ]
