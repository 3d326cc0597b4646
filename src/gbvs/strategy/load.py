"""Read strategy YAML folders (``data/<strategy-id>/<section>.yaml``) into validated :class:`Strategy`.

Every failure (missing file, YAML syntax error, wrong field, dangling reference, unknown
country code, empty text) raises :class:`gbvs.errors.StrategyError` naming the file, the entry,
the value and the fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gbvs.errors import NotFoundError, StrategyError, Term, Words, said
from gbvs.fieldreasons import reason_words
from gbvs.strategy.checks import Problem, format_problems
from gbvs.strategy.model import SECTION_FILES, Strategy

DATA_ROOT = Path(__file__).resolve().parent / "data"
ABSENT = Term("(absent)")
"""The value of a problem whose file or field is not there."""
FILE = Term("(file)")
"""The entry of a problem of a whole file."""
TOP_LEVEL = Term("(top level)")
"""The entry of a problem of a file's top level."""


def available_strategies(root: Path = DATA_ROOT) -> tuple[str, ...]:
    """Ids of the strategies shipped under ``root`` (folders holding a strategy.yaml)."""
    return tuple(sorted(p.parent.name for p in root.glob("*/strategy.yaml")))


def current_strategy_id(root: Path = DATA_ROOT) -> str:
    """The shipped strategy whose period starts last (GBVS 2018-2022 while it is the only one)."""
    ids = available_strategies(root)
    if not ids:
        raise NotFoundError(
            said("no strategy data found in %(folder)s; reinstall gbvs (the package ships it)", folder=root)
        )
    return max(ids, key=lambda strategy_id: _period_of(root / strategy_id))


def load_strategy(strategy_id: str | None = None) -> Strategy:
    """A shipped strategy by id (default: the current one); loaded once, then cached."""
    return _load_shipped(strategy_id or current_strategy_id())


@cache
def _load_shipped(strategy_id: str) -> Strategy:
    ids = available_strategies()
    if strategy_id not in ids:
        raise NotFoundError(
            said(
                "strategy %(strategy)s is not shipped; available: %(available)s",
                strategy=repr(strategy_id),
                available=", ".join(ids),
            )
        )
    strategy = load_strategy_from(DATA_ROOT / strategy_id)
    if strategy.id != strategy_id:
        raise StrategyError(
            Problem(
                "strategy.yaml",
                "strategy.id",
                strategy.id,
                said("differs from its folder name"),
                said("set id to %(id)s or rename the folder", id=repr(strategy_id)),
            ).describe(DATA_ROOT / strategy_id)
        )
    return strategy


def load_strategy_from(path: Path) -> Strategy:
    """Read and validate the strategy folder ``path`` (one YAML file per section)."""
    folder = Path(path)
    if not _is_folder(folder):
        raise StrategyError(
            said(
                "strategy folder %(folder)s does not exist; give a folder holding strategy.yaml",
                folder=repr(str(folder)[:200]),
            )
        )
    data, problems = _read_sections(folder)
    if problems:
        raise StrategyError(format_problems(problems, folder))
    try:
        return Strategy.model_validate(data, context={"source": folder})
    except ValidationError as exc:
        raise StrategyError(format_problems(list(_validation_problems(exc)), folder)) from None


def _is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder; False also for names the OS refuses (too long, bad bytes)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _period_of(folder: Path) -> tuple[int, int]:
    try:
        info = yaml.safe_load((folder / "strategy.yaml").read_text(encoding="utf-8"))["strategy"]["period"]
        return int(info["start"]), int(info["end"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError):
        return (0, 0)  # a broken folder is never the default; loading it reports the problem


def _read_sections(folder: Path) -> tuple[dict[str, Any], list[Problem]]:
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    for section, file in SECTION_FILES.items():
        value, problem = _read_section(folder / file, section)
        if problem:
            problems.append(problem)
        else:
            data[section] = value
    expected = set(SECTION_FILES.values())
    for extra in sorted(p.name for p in folder.glob("*.y*ml") if p.name not in expected):
        problems.append(
            Problem(
                extra,
                FILE,
                extra,
                said("is not a strategy section file"),
                said("rename it to one of %(files)s or remove it", files=sorted(expected)),
            )
        )
    return data, problems


def _read_section(path: Path, section: str) -> tuple[Any, Problem | None]:
    if not path.is_file():
        return None, Problem(
            path.name,
            FILE,
            ABSENT,
            said("the file is missing"),
            said("restore %(file)s (key '%(section)s:')", file=path.name, section=section),
        )
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return None, _yaml_problem(path.name, exc)
    except UnicodeDecodeError as exc:
        return None, Problem(
            path.name, FILE, str(exc.reason), said("the file is not UTF-8"), said("save it as UTF-8")
        )
    except ValueError as exc:  # a value YAML reads but Python cannot hold: 2017-13-45 (no month 13)
        return None, Problem(
            path.name,
            FILE,
            str(exc),
            said("a value cannot be read"),
            said("write a date as YYYY-MM-DD, or quote the value to keep it as text"),
        )
    if not isinstance(content, dict) or set(content) != {section}:
        keys = sorted(content) if isinstance(content, dict) else type(content).__name__
        fix = said("put everything under one top-level key '%(section)s:'", section=section)
        expected = said("expected a single key '%(section)s'", section=section)
        return None, Problem(path.name, TOP_LEVEL, keys, expected, fix)
    return content[section], None


def _yaml_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = (
        said("line %(line)s, column %(column)s", line=mark.line + 1, column=mark.column + 1)
        if mark is not None
        else FILE
    )
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    detail = f"{context}, {problem}" if context else str(problem)
    return Problem(
        file,
        where,
        detail,
        said("YAML syntax error"),
        said(
            "correct the YAML there (indentation, a missing ':' or '-', or quote text that contains ': ' or "
            "'#')"
        ),
    )


def _validation_problems(exc: ValidationError) -> Iterator[Problem]:
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        section = str(loc[0]) if loc else "strategy"
        file = SECTION_FILES.get(section, "strategy.yaml")
        value = ABSENT if error.get("type") == "missing" else _short(error.get("input"))
        yield Problem(file, _entry(loc), value, _message(error), _fix(error, loc))


def _message(error: Any) -> str | Words:
    """What pydantic found wrong: the words of our own validators (a :class:`gbvs.errors.WordedValueError`)
    or pydantic's sentence of the error's type as catalogue words (:mod:`gbvs.fieldreasons`), else
    pydantic's own (English) text."""
    worded = reason_words(error)
    if worded is not None and worded.words is not None:
        return worded.words
    return str(error.get("msg", "invalid value")).removeprefix("Value error, ")


def _entry(loc: tuple[Any, ...]) -> str:
    entry = ""
    for part in loc:
        entry += f"[{part}]" if isinstance(part, int) else (f".{part}" if entry else str(part))
    return entry or TOP_LEVEL


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 80 else text[:77] + "..."


def _fix(error: Any, loc: tuple[Any, ...]) -> Words:
    kind = error.get("type", "")
    field = str(loc[-1]) if loc else "value"
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return said("add the field %(field)s", field=repr(field))
    if kind == "extra_forbidden":
        return said("remove %(field)s or correct its spelling", field=repr(field))
    if "text is empty" in str(error.get("msg", "")):
        return said("write the text (Dutch under nl:, English under en:)")
    if kind == "string_pattern_mismatch":
        return said(
            "write it to match %(pattern)s (ids: lower-case letters, digits, _; ISO3: 3 capitals)",
            pattern=str(ctx.get("pattern")),
        )
    if kind == "literal_error":
        return said("use one of %(ids)s", ids=str(ctx.get("expected")))
    if kind.startswith("int_"):
        return said("give a whole number")
    if kind.startswith("bool_"):
        return said("give true or false")
    if kind == "too_short":
        return said("add at least one item")
    return said("correct the value as the message says")
