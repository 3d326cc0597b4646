"""Fuzz the command line: every command of the Typer tree, every parameter, a set of bad values.

For each leaf command (``gbvs users tokens revoke``, ``gbvs db upgrade``, ...) and each of its
arguments and value options, the command is run with that parameter set to one bad value (empty,
huge and negative integers, unicode, control characters, path traversal, a 10,000-character string,
...) while the other required parameters get a plain value. Each command is also run without
arguments. Runs in-process through ``gbvs.cli.main.main`` (what the console script calls), in a
fresh data folder with a migrated database, a bootstrap admin and an empty mirror, acting as the
OS owner of that folder.

Everything stays inside one temporary folder: the working folder is ``<tmp>/work/a/b`` (commands
that write a file named by a bad value, e.g. ``codebook --output``, write there), the traversal
value ``../../../sentinel.txt`` points at a sentinel file in ``<tmp>`` whose change is reported,
and absolute paths point into ``<tmp>`` too. Never give it values that name real files: as root a
command would overwrite them. Prints the number of cases, the exit codes seen and every traceback
(the goal is 0); exits 1 when there was one.

    .venv/bin/python benchmarks/fuzz_cli.py            # add --json for JSON, --verbose for each case

Not run: ``gbvs serve`` (it would start a server; its options are checked by tests/web) and
``gbvs db revision`` (it writes a migration into the source tree).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import typer.main
from fuzzing import BAD_VALUES
from typer._click import core as click_core

SKIPPED = ({"serve"}, {"db", "revision"})
SENTINEL = "sentinel.txt"
TRAVERSAL = (
    f"../../../{SENTINEL}"  # from the working folder <tmp>/work/a/b: <tmp>/sentinel.txt, never a system file
)
CLI_VALUES: tuple[str, ...] = (*BAD_VALUES, TRAVERSAL, "--help-not")


@dataclass
class Report:
    """What the run found."""

    cases: int = 0
    seconds: float = 0.0
    exit_codes: Counter[int] = field(default_factory=Counter)
    tracebacks: list[dict[str, Any]] = field(default_factory=list)
    sentinel_changed: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Figures for printing."""
        return {
            "cases": self.cases,
            "seconds": round(self.seconds, 1),
            "exit_codes": dict(sorted(self.exit_codes.items())),
            "tracebacks": len(self.tracebacks),
            "sentinel_overwritten_through_traversal": self.sentinel_changed,
            "traceback_cases": self.tracebacks,
        }


def leaf_commands() -> list[tuple[list[str], click_core.Command]]:
    """Every runnable command of ``gbvs`` with its path, except the skipped ones."""
    from gbvs.cli.commands import register
    from gbvs.cli.main import app

    register(app)
    found: list[tuple[list[str], click_core.Command]] = []

    def walk(command: click_core.Command, path: list[str]) -> None:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                walk(child, [*path, name])
        elif set(path) not in SKIPPED:
            found.append((path, command))

    walk(typer.main.get_command(app), [])
    return found


def plain_value(param: click_core.Parameter, scratch: Path) -> str:
    """An ordinary value for a required parameter that is not under test."""
    kind = getattr(getattr(param, "type_descriptor", None), "annotation", str)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return str(next(iter(kind)).value)
    if kind is int:
        return "1"
    if kind is Path:
        return str(scratch / "plain.txt")
    if kind is datetime:
        return "2020-01-01"
    return "plain"


def cases(path: list[str], command: click_core.Command, scratch: Path) -> Iterator[list[str]]:
    """The argument lists to try for one command."""
    yield list(path)
    params = [p for p in command.params if not getattr(p, "is_flag", False) and p.name != "help"]
    for target in params:
        for bad in (*CLI_VALUES, str(scratch / "absolute.txt")):
            args = list(path)
            for param in params:
                value = bad if param is target else (plain_value(param, scratch) if param.required else None)
                if value is None:
                    continue
                if param.param_type_name == "option":
                    args += [param.opts[0], value]
                else:
                    args.append(value)
            yield args


def run_case(args: list[str]) -> tuple[int | None, str | None]:
    """Run ``gbvs *args``; return (exit code, traceback text when one escaped)."""
    from gbvs.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO("")  # prompts (passwords) see end of input
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        return None, traceback.format_exc(limit=-3)
    finally:
        sys.stdin = stdin
    if "Traceback (most recent call last)" in err.getvalue():
        return code, err.getvalue()[-2000:]
    return code, None


def prepare(folder: Path) -> None:
    """A data folder with a migrated database and admin ``root``; an empty mirror; no downloads."""
    os.environ.update(
        GBVS_DATA_DIR=str(folder / "data"),
        GBVS_MIRROR=str(folder / "mirror"),
        GBVS_ALLOW_DOWNLOAD="false",
    )
    (folder / "mirror").mkdir()
    (folder / "plain.txt").write_text("plain\n", encoding="utf-8")
    (folder / SENTINEL).write_text("sentinel\n", encoding="utf-8")
    work = folder / "work" / "a" / "b"
    work.mkdir(parents=True)
    os.chdir(work)
    for key in ("GBVS_TOKEN", "GBVS_USER", "GBVS_DATABASE_URL", "GBVS_STORE_PATH"):
        os.environ.pop(key, None)
    for setup in (["db", "upgrade"], ["users", "create-admin", "root"], ["orgs", "seed"]):
        code, trace = run_case(setup)
        if code != 0 or trace:
            raise SystemExit(f"setup {setup} failed with exit {code}: {trace}")


def fuzz(verbose: bool) -> Report:
    """Run every case in a fresh temporary installation."""
    report = Report()
    started = time.perf_counter()
    home = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="gbvs-fuzz-") as tmp:
        scratch = Path(tmp)
        try:
            prepare(scratch)
            run_all(scratch, report, verbose)
        finally:
            os.chdir(home)
        report.sentinel_changed = (scratch / SENTINEL).read_text(encoding="utf-8") != "sentinel\n"
    report.seconds = time.perf_counter() - started
    return report


def run_all(scratch: Path, report: Report, verbose: bool) -> None:
    """Every case of every command, counted into ``report``."""
    for path, command in leaf_commands():
        for args in cases(path, command, scratch):
            code, trace = run_case(args)
            report.cases += 1
            report.exit_codes[-1 if code is None else code] += 1
            if trace is not None:
                report.tracebacks.append({"args": [a[:80] for a in args], "traceback": trace})
            if verbose:
                print(code, [a[:40] for a in args], file=sys.stderr)


def main() -> int:
    """Parse options, fuzz, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--verbose", action="store_true", help="print each case's exit code to stderr")
    options = parser.parse_args()
    report = fuzz(options.verbose)
    if options.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        figures = report.as_dict()
        print(f"cases: {figures['cases']} in {figures['seconds']} s")
        print(f"exit codes: {figures['exit_codes']}")
        print(f"tracebacks: {figures['tracebacks']}")
        print(f"sentinel overwritten through ../: {figures['sentinel_overwritten_through_traversal']}")
        for case in report.tracebacks:
            print(f"\n--- gbvs {' '.join(repr(a) for a in case['args'])}\n{case['traceback']}")
    return 1 if report.tracebacks or report.sentinel_changed else 0


if __name__ == "__main__":
    sys.exit(main())
