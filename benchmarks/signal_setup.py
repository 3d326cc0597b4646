"""The set-up the signal benchmarks share: organisations, a reader, and signals stored as an import does.

``store_signals`` stores drafts in chunks of ``IMPORT_CHUNK`` (each chunk by owner, so signals of
several owners interleave in the index as they would over time), either indexing each signal by its
trigger ("per row") or through the bulk path of a large import (:mod:`gbvs.db.signal_bulk`), and
commits; it returns the seconds taken.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from contextlib import nullcontext

from sqlalchemy.orm import Session

from gbvs.db.models import Organisation, OrganisationKind, User
from gbvs.db.services import signals as service
from gbvs.db.signal_bulk import search_index_deferred
from gbvs.security.permissions import Role
from gbvs.signals.model import SignalDraft

INDEXING = ("per row", "bulk")
"""How ``store_signals`` indexes the signals for search: their triggers, or one statement at the end."""


def organisations(session: Session, codes: Iterable[str]) -> dict[str, Organisation]:
    """Agencies named by ``codes``, stored."""
    made = {
        code: Organisation(code=code, name_nl=code, name_en=code, kind=OrganisationKind.agency)
        for code in codes
    }
    session.add_all(made.values())
    session.flush()
    return made


def reader(session: Session, organisation: Organisation) -> User:
    """The analyst "lezer" of ``organisation``, in no sharing group."""
    user = User(username="lezer", display_name="Lezer", organisation_id=organisation.id, role=Role.analyst)
    session.add(user)
    session.flush()
    return user


def store_signals(
    session: Session,
    drafts: Sequence[SignalDraft],
    owners: dict[str, Organisation],
    indexing: str,
    group_id: int | None = None,
) -> float:
    """Store ``drafts`` (owned by ``owners``) indexed ``indexing`` (one of :data:`INDEXING`) and commit;
    the seconds it took."""
    started = time.perf_counter()
    with search_index_deferred(session) if indexing == "bulk" else nullcontext([]) as ids:
        for start in range(0, len(drafts), service.IMPORT_CHUNK):
            by_owner: dict[str, list[SignalDraft]] = {}
            for made in drafts[start : start + service.IMPORT_CHUNK]:
                by_owner.setdefault(made.owner_organisation, []).append(made)
            for code, made_by in by_owner.items():
                owner_id = owners[code].id
                ids += service.store_drafts(
                    session, made_by, owner_id=owner_id, author_id=None, group_id=group_id
                )
    session.commit()
    return time.perf_counter() - started
