"""Which commands take the database's write lock, declared for every command in one place.

SQLite has one writer at a time. A command whose session is ``for_writing`` takes the write lock when
its transaction begins and holds it until the command's session ends, so while a long one runs (a
listing, an export, a report) every web request that writes waits, and after the busy timeout (5 s)
is answered 503. So only the commands that change the database take it:

- :attr:`Lock.READS`: the command only reads. Its session is deferred and never holds the write lock,
  and the database refuses any write it tries (an ORM change or a raw ``UPDATE`` alike:
  :func:`read_only_declaration`, :data:`gbvs.db.session.READ_ONLY`), naming the command and the fix;
  each audit entry of what it read is written apart, in a short write transaction of its own, before
  the service returns (:data:`gbvs.db.session.AUDIT_APART`): if it cannot be written, the command
  fails and shows nothing.
- :attr:`Lock.WRITES`: the command changes the database (or may, like ``report build``, which creates
  the period and seeds the results chain when they are missing): the write lock from the start, so it
  never fails half-way for another writer.
- :attr:`Lock.OWN`: the command does not use :func:`gbvs.cli.identity.acting` (no database, or its own
  sessions: ``db upgrade``, ``users create-admin``, the long jobs of :func:`gbvs.cli.identity.audited_run`).

``tests/cli/test_command_locks.py`` checks that every command is declared here, so a new one cannot forget.
"""

from __future__ import annotations

from enum import Enum

from typer._click.core import Context
from typer._click.globals import get_current_context

from gbvs.db.session import ReadOnly
from gbvs.errors import Said, said


class Lock(Enum):
    """What a command does with the operational database (see the module docstring)."""

    READS = "reads"
    WRITES = "writes"
    OWN = "own"


READS, WRITES, OWN = Lock.READS, Lock.WRITES, Lock.OWN
COMMAND_LOCKS: dict[str, Lock] = {
    "config": OWN,
    "ingest": OWN,
    "sources": OWN,
    "serve": OWN,
    "drivers": OWN,
    "codebook": OWN,
    "backtest": OWN,
    "forecast": OWN,
    "watchlist": OWN,
    "modelcard": OWN,
    "brief": READS,
    "demspaces": OWN,
    "db upgrade": OWN,
    "db check": OWN,
    "db backup": OWN,
    "db downgrade": OWN,
    "db revision": OWN,
    "orgs list": READS,
    "orgs create": WRITES,
    "orgs seed": WRITES,
    "orgs update": WRITES,
    "users list": READS,
    "users create": WRITES,
    "users create-admin": OWN,
    "users set-role": WRITES,
    "users set-org": WRITES,
    "users deactivate": WRITES,
    "users activate": WRITES,
    "users set-password": WRITES,
    "users roles": OWN,
    "users whoami": READS,
    "users tokens create": WRITES,
    "users tokens list": READS,
    "users tokens rotate": WRITES,
    "users tokens revoke": WRITES,
    "audit list": READS,
    "audit verify": READS,
    "audit checkpoint": WRITES,
    "panel show": OWN,
    "strategy show": OWN,
    "strategy goal": OWN,
    "strategy goals": OWN,
    "strategy threat": OWN,
    "strategy drivers": OWN,
    "strategy regions": OWN,
    "strategy threats": OWN,
    "strategy instruments": OWN,
    "strategy frameworks": OWN,
    "strategy trends": OWN,
    "strategy interests": OWN,
    "strategy check": OWN,
    "strategy list": OWN,
    "signals import": WRITES,
    "signals import-stix": WRITES,
    "signals list": READS,
    "signals search": READS,
    "signals create": WRITES,
    "signals mark": WRITES,
    "signals show": READS,
    "signals assess": WRITES,
    "signals stats": READS,
    "signals export": READS,
    "sharing-groups create": WRITES,
    "sharing-groups list": READS,
    "cases create": WRITES,
    "cases goals": WRITES,
    "cases add-signal": WRITES,
    "cases assess": WRITES,
    "cases agree": WRITES,
    "cases show": READS,
    "cases list": READS,
    "assessments methods": OWN,
    "assessments method": OWN,
    "assessments seed": WRITES,
    "assessments list": READS,
    "assessments show": READS,
    "assessments create": WRITES,
    "assessments edit": WRITES,
    "assessments history": READS,
    "assessments revisions": READS,
    "assessments link": WRITES,
    "assessments open-round": WRITES,
    "assessments deadline": WRITES,
    "assessments reopen-round": WRITES,
    "assessments close-round": WRITES,
    "assessments score": WRITES,
    "assessments round": READS,
    "assessments dissent": WRITES,
    "assessments results": READS,
    "assessments panel list": READS,
    "assessments panel add": WRITES,
    "assessments panel remove": WRITES,
    "actions open": WRITES,
    "actions list": READS,
    "actions show": READS,
    "actions history": READS,
    "actions option": WRITES,
    "actions status": WRITES,
    "actions share": WRITES,
    "actions decide": WRITES,
    "actions follow-up": WRITES,
    "actions follow-up-done": WRITES,
    "actions alerts": OWN,
    "actions gap": READS,
    "report build": WRITES,
    "report freeze": WRITES,
    "report verify": READS,
    "report disclosure-check": READS,
    "report openbaarheidstoets": READS,
    "report seed": WRITES,
    "report release": WRITES,
    "report indicators": READS,
    "report indicator-set": WRITES,
    "report value-add": WRITES,
    "report action-save": WRITES,
    "report periods": READS,
    "report draft create": WRITES,
    "report draft list": READS,
    "report draft show": READS,
    "report draft contribute": WRITES,
    "report draft comment": WRITES,
    "report draft move": WRITES,
    "opinion polls": OWN,
    "opinion estimate": OWN,
    "opinion trend": OWN,
    "opinion published": OWN,
    "opinion margins": OWN,
    "opinion weights": OWN,
    "opinion codebook": OWN,
    "opinion consultations import": WRITES,
    "opinion consultations list": READS,
    "opinion consultations coding": READS,
    "opinion consultations code": WRITES,
    "opinion consultations advance": WRITES,
    "opinion consultations adjudicate": WRITES,
    "opinion consultations codes": READS,
    "opinion consultations reliability": READS,
    "opinion consultations summary": READS,
    "opinion consultations export": READS,
    "opinion consultations withdraw-coder": WRITES,
    "opinion consultations reinstate-coder": WRITES,
    "opinion consultations coder-history": READS,
    "opinion consultations codebook add": WRITES,
    "opinion consultations codebook reword": WRITES,
    "opinion consultations codebook merge": WRITES,
    "opinion consultations codebook retire": WRITES,
    "opinion consultations codebook history": READS,
    "displacement backtest": OWN,
    "displacement forecast": OWN,
    "displacement ranking": OWN,
}
"""Command (its words after ``gbvs``) -> what it does with the database. Add every new command here."""


def running_command() -> str | None:
    """The words of the command being run (``signals list``), or None outside a command line."""
    context = get_current_context(silent=True)
    return None if context is None else command_words(context)


def command_words(context: Context) -> str:
    """The command of ``context`` without the program's name: ``signals list``."""
    words: list[str] = []
    while context.parent is not None:
        words.insert(0, context.info_name or "")
        context = context.parent
    return " ".join(words)


def takes_write_lock(command: str | None) -> bool:
    """Whether ``command``'s session takes the write lock from its start (outside a command line, as
    a caller in Python: yes, the safe choice). A command not declared :attr:`Lock.READS` or
    :attr:`Lock.WRITES` in :data:`COMMAND_LOCKS` is a programming error, named with its fix."""
    if command is None:
        return True
    lock = COMMAND_LOCKS.get(command)
    if lock is None or lock is Lock.OWN:
        raise RuntimeError(
            f"the command `gbvs {command}` uses the database but is declared {lock and lock.value!r} in "
            "gbvs.cli.locks.COMMAND_LOCKS; declare it Lock.READS (it only reads) or Lock.WRITES"
        )
    return lock is Lock.WRITES


def read_only_declaration(command: str) -> ReadOnly:
    """Why the session of ``command`` (declared :attr:`Lock.READS`) may not write, and the fix if it must."""
    return ReadOnly(
        who=Said.of(
            said(
                "the command `gbvs %(command)s` (Lock.READS in gbvs.cli.locks.COMMAND_LOCKS)", command=command
            )
        ),
        fix=Said.of(
            said(
                "this is a programming error in GBVS, not a problem of the data (developers: if the command"
                ' must write, declare it in cli/locks.py as WRITES: "%(command)s": WRITES)',
                command=command,
            )
        ),
    )
