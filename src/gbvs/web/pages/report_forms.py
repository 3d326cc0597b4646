"""The draft page's forms read and checked: what was typed and an error per field (keys as in the template).

Error messages are marked with :func:`~gbvs.web.render.N_` and translated in the template
(catalogue ``reports2.po``); the services check again (:mod:`gbvs.reports.workflow`).
"""

from __future__ import annotations

import math
from datetime import date

from gbvs.db.report_models import DraftStatus
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import InputError
from gbvs.reports.records import ValueEntry
from gbvs.reports.release_owners import RELEASE_KINDS
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


MAX_REASON = 2_000
"""A reason's characters at most (as the workflow step's note)."""
FieldProblem = tuple[str, dict[str, str]]
"""A field error whose message names the value typed: the message id and its values."""


def _reason_error(reason: str, empty: str) -> str | FieldProblem | None:
    if not reason:
        return empty
    if len(reason) > MAX_REASON:
        return N_("The reason has %(count)s characters; shorten it to 2,000 at most."), {
            "count": str(len(reason))
        }
    return None


def early_form(form: Form) -> tuple[str | None, dict[str, str | FieldProblem]]:
    """``(reason, errors)`` of publishing before the period's end (fields ``early``, ``reason``): the
    reason when ``early`` is asked for (None: not early); an empty reason is an error, since the
    report prints it."""
    if _field(form, "early").strip() != "1":
        return None, {}
    reason = _field(form, "reason").strip()
    empty = N_(
        "The reason is empty: publishing before the period ends needs one, because the report prints it. "
        "Say why the report cannot wait."
    )
    problem = _reason_error(reason, empty)
    return reason, {"early_reason": problem} if problem else {}


def supersede_form(form: Form) -> tuple[str, dict[str, str | FieldProblem]]:
    """``(reason, errors)`` of replacing a period's published report (field ``reason``)."""
    reason = _field(form, "reason").strip()
    empty = N_(
        "The reason is empty: the new report names the one it replaces and says why, so say what was wrong."
    )
    problem = _reason_error(reason, empty)
    return reason, {"supersede_reason": problem} if problem else {}


def release_form(form: Form) -> tuple[dict[str, str], dict[str, str | FieldProblem]]:
    """``(entered, errors)`` of releasing a left-out item for publication (fields kind, id, reason)."""
    entered = {name: _field(form, name).strip() for name in ("kind", "id", "reason")}
    errors: dict[str, str | FieldProblem] = {}
    number = entered["id"]
    if entered["kind"] not in RELEASE_KINDS or not (number.isdigit() and 1 <= int(number) <= MAX_ROW_ID):
        errors["release_item"] = N_("Choose an item from the list of items left out.")
    empty = N_("The reason is empty: say why the owner agreed to publish this item; the release keeps it.")
    if (problem := _reason_error(entered["reason"], empty)) is not None:
        errors["release_reason"] = problem
    return entered, errors


def _number(text: str) -> float | None:
    """``text`` as a number, with a decimal point or a Dutch decimal comma (None: not a number)."""
    plain = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        value = float(plain)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def correction_form(
    form: Form, correctable: set[str]
) -> tuple[dict[str, str], dict[str, str | FieldProblem]]:
    """``(entered, errors)`` of the correction of a reported value (fields corrects, value, measured_on,
    evidence, tlp, reason); ``correctable``: the ids of the values in force that may be corrected."""
    names = ("corrects", "value", "measured_on", "evidence", "tlp", "reason")
    entered = {name: _field(form, name).strip() for name in names}
    entered["tlp"] = entered["tlp"].lower() or "clear"
    errors: dict[str, str | FieldProblem] = {}
    if entered["corrects"] not in correctable:
        errors["correction_corrects"] = (
            N_("Value %(value)s is not a value of this indicator in force; choose one from the list."),
            {"value": entered["corrects"][:20] or "–"},
        )
    if _number(entered["value"]) is None:
        errors["correction_value"] = (
            N_("'%(value)s' is not a number; enter the value as measured, e.g. 12.5."),
            {"value": entered["value"][:40]},
        )
    if not _day(entered["measured_on"]):
        errors["correction_measured_on"] = (
            N_("'%(value)s' is not a date; write it as YYYY-MM-DD, e.g. 2020-01-10."),
            {"value": entered["measured_on"][:40]},
        )
    if not entered["evidence"]:
        errors["correction_evidence"] = N_(
            "The evidence is empty: name the document or system the value comes from."
        )
    if entered["tlp"] not in TLP_LEVELS:
        errors["correction_tlp"] = N_("Choose a TLP level.")
    empty = N_("The reason is empty: say why the earlier value was wrong.")
    if (problem := _reason_error(entered["reason"], empty)) is not None:
        errors["correction_reason"] = problem
    return entered, errors


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def correction_entry(key: str, period: str, entered: dict[str, str]) -> ValueEntry:
    """The checked form (:func:`correction_form` without errors) as the service's entry."""
    value, measured_on = _number(entered["value"]), _day(entered["measured_on"])
    assert value is not None and measured_on is not None
    return ValueEntry(
        key, period, value, measured_on, entered["evidence"], entered["tlp"], int(entered["corrects"]),
        entered["reason"],
    )  # fmt: skip
