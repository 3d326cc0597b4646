"""The hash chain of the audit log: canonical form, entry hashes and the check (pure, no I/O).

Each audit entry carries ``seq`` (1, 2, 3, ... without gaps), ``prev_hash`` (the ``entry_hash`` of
entry ``seq - 1``; 64 zeros for the first entry) and ``entry_hash``::

    entry_hash = sha256(canonical_json(entry)).hexdigest()

``canonical_json`` is the UTF-8 JSON object of the fields in :data:`HASHED_FIELDS` with sorted
keys, no whitespace (``separators=(",", ":")``) and non-ASCII characters kept as they are; ``at`` is
written as ISO 8601 in UTC with microseconds (``2026-12-02T01:02:03.000004+00:00``), ``outcome`` as
its value, ``detail`` as the JSON object stored. Changing any field of an entry changes its hash;
removing or replacing an entry breaks the ``prev_hash`` link of the next one; a rewrite of the
whole chain is caught by comparing with a :class:`Checkpoint` kept outside the database.

:func:`first_problem` walks the entries in ``seq`` order and names the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "prev_hash",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "detail",
    "outcome",
    "message",
)
CHECKPOINT_FORMAT = "gbvs-audit-checkpoint/1"


def canonical_json(entry: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: the fields of :data:`HASHED_FIELDS` as canonical JSON."""
    fields = {name: _plain(entry[name]) for name in HASHED_FIELDS}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of :func:`canonical_json`."""
    return hashlib.sha256(canonical_json(entry)).hexdigest()


def plain_detail(detail: Mapping[str, Any] | None) -> dict[str, Any]:
    """``detail`` as the JSON-native dict the database gives back (so the hash survives a round trip)."""
    loaded: dict[str, Any] = json.loads(json.dumps(dict(detail or {}), default=str))
    return loaded


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, StrEnum):
        return value.value
    return value


class ProblemKind(StrEnum):
    """What is wrong at the first broken link."""

    gap = "deleted"  # a seq is missing
    altered = "altered"  # the fields no longer match the entry's own hash
    broken_link = "broken link"  # prev_hash differs from the previous entry's hash
    truncated = "truncated"  # the last entries are gone (the head or checkpoint says more)
    head_mismatch = "head mismatch"  # the stored chain head disagrees with the entry at its seq
    rewritten = "rewritten"  # the entry at the checkpoint's seq has another hash


@dataclass(frozen=True)
class ChainProblem:
    """The first broken link: where (``seq``, ``entry_id``) and what is wrong."""

    kind: ProblemKind
    seq: int
    entry_id: int | None
    explanation: str

    def describe(self) -> str:
        """One line for people: kind, position and explanation."""
        where = f"seq {self.seq}" + (f" (id {self.entry_id})" if self.entry_id is not None else "")
        return f"{self.kind.value} at {where}: {self.explanation}"


@dataclass(frozen=True)
class Head:
    """The newest entry of the chain: its seq and hash (seq 0 and GENESIS_HASH when empty)."""

    seq: int
    entry_hash: str


@dataclass(frozen=True)
class Checkpoint:
    """The chain head exported to a file outside the database."""

    seq: int
    entry_hash: str
    entry_at: str | None
    taken_at: str
    count: int
    database: str
    format: str = CHECKPOINT_FORMAT

    def to_json(self) -> str:
        """The file content (indented JSON, one key per line)."""
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Parse a checkpoint file; ValueError saying what is wrong."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON ({exc.msg} at line {exc.lineno})") from exc
        if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(f"not a GBVS audit checkpoint (expected format {CHECKPOINT_FORMAT!r})")
        try:
            checkpoint = cls(**data)
        except TypeError as exc:
            raise ValueError(f"fields differ from a checkpoint's ({exc})") from exc
        if not isinstance(checkpoint.seq, int) or not isinstance(checkpoint.entry_hash, str):
            raise ValueError("seq must be a number and entry_hash a string")
        return checkpoint


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a check: how many entries were read, the last one, and the first problem."""

    count: int
    last: Head
    problem: ChainProblem | None


def first_problem(
    entries: Iterable[Mapping[Any, Any]], head: Head | None, checkpoint: Checkpoint | None = None
) -> ChainReport:
    """Walk ``entries`` (ordered by seq; each with ``id``, ``entry_hash`` and the hashed fields) and report.

    ``head`` is the stored chain head, read *before* the entries (entries appended meanwhile may
    follow it); ``checkpoint`` an exported head. Each must match the entry at its seq.
    """
    anchors = {anchor.seq for anchor in (head, checkpoint) if anchor is not None}
    last, count, found = Head(0, GENESIS_HASH), 0, {}
    for entry in entries:
        problem = _link_problem(entry, last)
        if problem is not None:
            return ChainReport(count, last, problem)
        last, count = Head(entry["seq"], entry["entry_hash"]), count + 1
        if last.seq in anchors:
            found[last.seq] = entry
    problem = _head_problem(last, head, found) or _checkpoint_problem(last, checkpoint, found)
    return ChainReport(count, last, problem)


def _link_problem(entry: Mapping[str, Any], previous: Head) -> ChainProblem | None:
    seq, entry_id = entry["seq"], entry["id"]
    if seq != previous.seq + 1:
        missing = f"seq {previous.seq + 1}" + (f" to {seq - 1}" if seq - 1 > previous.seq + 1 else "")
        return ChainProblem(ProblemKind.gap, seq, entry_id, f"{missing} missing before it (deleted)")
    if entry_hash(entry) != entry["entry_hash"]:
        return ChainProblem(
            ProblemKind.altered, seq, entry_id, "its fields no longer match its hash (the row was changed)"
        )
    if entry["prev_hash"] != previous.entry_hash:
        return ChainProblem(
            ProblemKind.broken_link,
            seq,
            entry_id,
            f"its prev_hash is not the hash of seq {previous.seq} (that entry was replaced, or removed "
            "and the chain re-linked)",
        )
    return None


def _head_problem(
    last: Head, head: Head | None, found: Mapping[int, Mapping[str, Any]]
) -> ChainProblem | None:
    if head is None or head.seq == 0:
        return None
    if head.seq > last.seq:
        return ChainProblem(
            ProblemKind.truncated,
            last.seq + 1,
            None,
            f"the chain head says seq {head.seq} but the last entry is seq {last.seq} (entries deleted)",
        )
    entry = found[head.seq]
    if entry["entry_hash"] != head.entry_hash:
        return ChainProblem(
            ProblemKind.head_mismatch,
            head.seq,
            entry["id"],
            f"the chain head's hash {head.entry_hash[:12]}... differs from this entry's "
            f"{entry['entry_hash'][:12]}... (the entry was replaced, or the head changed)",
        )
    return None


def _checkpoint_problem(
    last: Head, checkpoint: Checkpoint | None, found: Mapping[int, Mapping[str, Any]]
) -> ChainProblem | None:
    if checkpoint is None or checkpoint.seq == 0:
        return None
    entry = found.get(checkpoint.seq)
    if entry is None:
        return ChainProblem(
            ProblemKind.truncated,
            checkpoint.seq,
            None,
            f"the checkpoint of {checkpoint.taken_at} names seq {checkpoint.seq} but the chain ends at "
            f"seq {last.seq} (entries deleted since)",
        )
    if entry["entry_hash"] != checkpoint.entry_hash:
        return ChainProblem(
            ProblemKind.rewritten,
            checkpoint.seq,
            entry["id"],
            f"its hash {entry['entry_hash'][:12]}... differs from the checkpoint of {checkpoint.taken_at} "
            f"({checkpoint.entry_hash[:12]}...): the chain was rewritten since",
        )
    return None
