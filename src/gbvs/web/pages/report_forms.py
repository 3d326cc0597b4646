"""The draft page's forms read and checked: what was typed and an error per field (keys as in the template).

Error messages are marked with :func:`~gbvs.web.render.N_` and translated in the template
(catalogue ``reports2.po``); the services check again (:mod:`gbvs.reports.workflow`).
"""

from __future__ import annotations

from gbvs.db.report_models import DraftStatus
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import InputError
from gbvs.reports.workflow import TLP_LEVELS
from gbvs.web.csrf import Form
from gbvs.web.render import N_

MAX_TEXT = 5_000  # 12 bytes a character at most once form-encoded: stays under csrf.MAX_FORM_BYTES
GOALS = {str(goal) for goal in range(1, 14)}


def _field(form: Form, name: str) -> str:
    return form.get(name, [""])[0].replace("\r\n", "\n")


def _text_error(text: str) -> str | None:
    if not text.strip():
        return N_("Write the text; it cannot be empty.")
    if len(text) > MAX_TEXT:
        return N_("The text is longer than 5,000 characters; shorten it.")
    return None


def contribution_form(form: Form) -> tuple[dict[str, str], dict[str, str]]:
    """``(entered, errors)`` of the contribution form (fields goal, text, tlp)."""
    entered = {
        name: _field(form, name).strip() if name != "text" else _field(form, name)
        for name in ("goal", "text", "tlp")
    }
    entered["tlp"] = entered["tlp"].lower() or "clear"
    errors = {}
    if entered["goal"] not in GOALS:
        errors["goal"] = N_("Choose a goal from 1 to 13.")
    if (problem := _text_error(entered["text"])) is not None:
        errors["text"] = problem
    if entered["tlp"] not in TLP_LEVELS:
        errors["tlp"] = N_("Choose a TLP level.")
    return entered, errors


def comment_form(form: Form) -> tuple[dict[str, str], dict[str, str]]:
    """``(entered, errors)`` of the comment form (text; optional goal, text commented on and TLP, whose
    empty value means GREEN, or on a text the text's marking)."""
    entered = {
        "goal": _field(form, "goal").strip(),
        "on_text": _field(form, "on_text").strip(),
        "text": _field(form, "text"),
        "tlp": _field(form, "tlp").strip().lower(),
    }
    errors = {}
    if entered["goal"] and entered["goal"] not in GOALS:
        errors["comment_goal"] = N_("Choose a goal from 1 to 13, or none.")
    if entered["on_text"] and not (entered["on_text"].isdigit() and int(entered["on_text"]) <= MAX_ROW_ID):
        errors["comment_on_text"] = N_("Choose a text from the list, or none.")
    if (problem := _text_error(entered["text"])) is not None:
        errors["comment_text"] = problem
    if entered["tlp"] and entered["tlp"] not in TLP_LEVELS:
        errors["comment_tlp"] = N_("Choose a TLP level.")
    return entered, errors


def step_form(form: Form) -> tuple[DraftStatus, str]:
    """The status the workflow form asks for and the note (InputError naming an unknown status)."""
    wanted = _field(form, "to").strip()
    try:
        status = DraftStatus(wanted)
    except ValueError:
        known = ", ".join(status.value for status in DraftStatus)
        raise InputError(f"status {wanted[:20]!r} is unknown; use one of: {known}") from None
    return status, _field(form, "note").strip()[:2000]
