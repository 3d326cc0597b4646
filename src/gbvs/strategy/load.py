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

from gbvs.errors import NotFoundError, StrategyError
from gbvs.strategy.checks import Problem, format_problems
from gbvs.strategy.model import SECTION_FILES, Strategy

DATA_ROOT = Path(__file__).resolve().parent / "data"
_ABSENT = "(absent)"


def available_strategies(root: Path = DATA_ROOT) -> tuple[str, ...]:
    """Ids of the strategies shipped under ``root`` (folders holding a strategy.yaml)."""
    return tuple(sorted(p.parent.name for p in root.glob("*/strategy.yaml")))


def current_strategy_id(root: Path = DATA_ROOT) -> str:
    """The shipped strategy whose period starts last (GBVS 2018-2022 while it is the only one)."""
    ids = available_strategies(root)
    if not ids:
        raise NotFoundError(f"no strategy data found in {root}; reinstall gbvs (the package ships it)")
    return max(ids, key=lambda strategy_id: _period_of(root / strategy_id))


def load_strategy(strategy_id: str | None = None) -> Strategy:
    """A shipped strategy by id (default: the current one); loaded once, then cached."""
    return _load_shipped(strategy_id or current_strategy_id())


@cache
def _load_shipped(strategy_id: str) -> Strategy:
    ids = available_strategies()
    if strategy_id not in ids:
        raise NotFoundError(f"strategy {strategy_id!r} is not shipped; available: {', '.join(ids)}")
    strategy = load_strategy_from(DATA_ROOT / strategy_id)
    if strategy.id != strategy_id:
        raise StrategyError(
            f"{DATA_ROOT / strategy_id / 'strategy.yaml'}: entry strategy.id: value {strategy.id!r}: "
            f"differs from its folder name; fix: set id to {strategy_id!r} or rename the folder"
        )
    return strategy


def load_strategy_from(path: Path) -> Strategy:
    """Read and validate the strategy folder ``path`` (one YAML file per section)."""
    folder = Path(path)
    if not _is_folder(folder):
        raise StrategyError(
            f"strategy folder {str(folder)[:200]!r} does not exist; give a folder holding strategy.yaml"
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
                "(file)",
                extra,
                "is not a strategy section file",
                f"rename it to one of {sorted(expected)} or remove it",
            )
        )
    return data, problems


def _read_section(path: Path, section: str) -> tuple[Any, Problem | None]:
    if not path.is_file():
        return None, Problem(
            path.name, "(file)", _ABSENT, "the file is missing", f"restore {path.name} (key '{section}:')"
        )
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return None, _yaml_problem(path.name, exc)
    except UnicodeDecodeError as exc:
        return None, Problem(
            path.name, "(file)", str(exc.reason), "the file is not UTF-8", "save it as UTF-8"
        )
    except ValueError as exc:  # a value YAML reads but Python cannot hold: 2017-13-45 (no month 13)
        return None, Problem(
            path.name,
            "(file)",
            str(exc),
            "a value cannot be read",
            "write a date as YYYY-MM-DD, or quote the value to keep it as text",
        )
    if not isinstance(content, dict) or set(content) != {section}:
        keys = sorted(content) if isinstance(content, dict) else type(content).__name__
        fix = f"put everything under one top-level key '{section}:'"
        return None, Problem(path.name, "(top level)", keys, f"expected a single key '{section}'", fix)
    return content[section], None


def _yaml_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "(file)"
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    detail = f"{context}, {problem}" if context else str(problem)
    return Problem(
        file,
        where,
        detail,
        "YAML syntax error",
        "correct the YAML there (indentation, a missing ':' or '-', or quote text that contains ': ' or '#')",
    )


def _validation_problems(exc: ValidationError) -> Iterator[Problem]:
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        section = str(loc[0]) if loc else "strategy"
        file = SECTION_FILES.get(section, "strategy.yaml")
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        value = _ABSENT if error.get("type") == "missing" else _short(error.get("input"))
        yield Problem(file, _entry(loc), value, message, _fix(error, loc))


def _entry(loc: tuple[Any, ...]) -> str:
    entry = ""
    for part in loc:
        entry += f"[{part}]" if isinstance(part, int) else (f".{part}" if entry else str(part))
    return entry or "(top level)"


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 80 else text[:77] + "..."


def _fix(error: Any, loc: tuple[Any, ...]) -> str:
    kind = error.get("type", "")
    field = str(loc[-1]) if loc else "value"
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"add the field '{field}'"
    if kind == "extra_forbidden":
        return f"remove '{field}' or correct its spelling"
    if "text is empty" in str(error.get("msg", "")):
        return "write the text (Dutch under nl:, English under en:)"
    if kind == "string_pattern_mismatch":
        return (
            f"write it to match {ctx.get('pattern')} (ids: lower-case letters, digits, _; ISO3: 3 capitals)"
        )
    if kind == "literal_error":
        return f"use one of {ctx.get('expected')}"
    if kind.startswith("int_") or kind.startswith("bool_"):
        return f"give a {'whole number' if kind.startswith('int_') else 'true or false'}"
    if kind == "too_short":
        return "add at least one item"
    return "correct the value as the message says"
