"""Read method YAML files (``data/methods/<folder>/method.yaml``) into validated :class:`Method`.

Every failure (missing file, YAML syntax error, wrong field, dangling reference) raises
:class:`gbvs.errors.MethodError` naming the file, the entry, the value and the fix. Reading the
packaged files is the only I/O here, as in :mod:`gbvs.strategy.load`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gbvs.assessments.checks import Problem, find_problems, format_problems
from gbvs.assessments.model import Method
from gbvs.errors import MethodError, NotFoundError, Words, said
from gbvs.fieldreasons import reason_words

METHODS_ROOT = Path(__file__).resolve().parent / "data" / "methods"
METHOD_FILE = "method.yaml"
DEFAULT_METHOD = "nrb_2009"


def available_methods(root: Path = METHODS_ROOT) -> dict[str, Path]:
    """Method id -> its file, for every method shipped under ``root``."""
    found: dict[str, Path] = {}
    for path in sorted(root.glob(f"*/{METHOD_FILE}")):
        found[load_method_from(path).id] = path
    return found


def load_method(method_id: str = DEFAULT_METHOD) -> Method:
    """A shipped method by id; loaded once, then cached."""
    return _load_shipped(method_id)


@cache
def _load_shipped(method_id: str) -> Method:
    methods = available_methods()
    if method_id not in methods:
        raise NotFoundError(
            said(
                "method '%(method)s' is not shipped; available: %(available)s",
                method=method_id,
                available=", ".join(sorted(methods)),
            )
        )
    return load_method_from(methods[method_id])


def load_method_from(path: Path) -> Method:
    """Read and validate the method file ``path``."""
    file = Path(path)
    content = _read(file)
    try:
        method = Method.model_validate(content)
    except ValidationError as exc:
        raise MethodError(format_problems(list(_validation_problems(exc, file.name)), str(file))) from None
    problems = find_problems(method, file.name)
    if problems:
        raise MethodError(format_problems(problems, str(file)))
    return method


def _read(file: Path) -> Any:
    try:
        content = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MethodError(
            said(
                "method file '%(file)s' does not exist; give a file named %(name)s",
                file=str(file)[:200],
                name=METHOD_FILE,
            )
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MethodError(
            said(
                "method file '%(file)s' cannot be read (%(problem)s); save it as UTF-8",
                file=str(file)[:200],
                problem=exc,
            )
        ) from None
    except ValueError as exc:  # a value YAML reads but Python cannot hold: 2017-13-45 (no month 13)
        raise MethodError(
            said(
                "method file '%(file)s' holds a value that cannot be read (%(problem)s); write a date as "
                "YYYY-MM-DD, or quote the value to keep it as text",
                file=str(file)[:200],
                problem=exc,
            )
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "(file)"
        problem = Problem(
            file.name,
            where,
            str(getattr(exc, "problem", exc)),
            said("YAML syntax error"),
            said("correct the YAML there (indentation, a missing ':' or '-', or quote the text)"),
        )
        raise MethodError(format_problems([problem], str(file))) from None
    if not isinstance(content, dict) or set(content) != {"method"}:
        keys = sorted(content) if isinstance(content, dict) else type(content).__name__
        problem = Problem(
            file.name,
            "(top level)",
            keys,
            said("expected a single key 'method'"),
            said("put everything under one top-level key 'method:'"),
        )
        raise MethodError(format_problems([problem], str(file)))
    return content["method"]


def _validation_problems(exc: ValidationError, file: str) -> Iterator[Problem]:
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        value = "(absent)" if error.get("type") == "missing" else _short(error.get("input"))
        yield Problem(file, _entry(loc), value, _message(error), _fix(error, loc))


def _message(error: Any) -> str | Words:
    """What is wrong, in the reader's words (:mod:`gbvs.fieldreasons`, the API's table too); a type
    without words as pydantic says it."""
    words = reason_words(error)
    if words is not None and words.words is not None:
        return words.words
    return str(error.get("msg", "invalid value")).removeprefix("Value error, ")


def _entry(loc: tuple[Any, ...]) -> str:
    entry = "method"
    for part in loc:
        entry += f"[{part}]" if isinstance(part, int) else f".{part}"
    return entry


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 80 else text[:77] + "..."


def _fix(error: Any, loc: tuple[Any, ...]) -> Words:
    kind = str(error.get("type", ""))
    field = str(loc[-1]) if loc else "value"
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return said("add the field %(field)s", field=repr(field))
    if kind == "extra_forbidden":
        return said("remove %(field)s or correct its spelling", field=repr(field))
    if "check_against" in str(error.get("msg", "")):
        return said("add check_against: the source key and section where the value can be confirmed")
    if "text is empty" in str(error.get("msg", "")):
        return said("write the text (Dutch under nl:, English under en:)")
    if kind == "string_pattern_mismatch":
        return said("write it to match %(pattern)s", pattern=str(ctx.get("pattern")))
    if kind == "literal_error":
        return said("use one of %(ids)s", ids=str(ctx.get("expected")))
    if kind.startswith(("float_", "int_", "greater_than")):
        return said("give a number of 0 or more")
    if kind == "too_short":
        return said("add the missing items")
    return said("correct the value as the message says")
