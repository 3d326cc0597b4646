"""``POST /api/v1/signals/stix-bundles``: a STIX 2.1 bundle imported as one signal, as
``gbvs signals import-stix``.

The same steps as the command line: the bundle is read and validated
(:func:`gbvs.signals.stix.read_bundle`), made a signal of the caller's organisation
(:func:`gbvs.signals.stix.draft_from_bundle`) and stored by the service
(:func:`gbvs.db.services.signals.import_stix`: the same authorization, ``signals_write`` and an
organisation, and the same audit entry ``signals.create``). A bundle over
:data:`gbvs.signals.stix.MAX_BUNDLE_BYTES` is refused (413) before it is read whole; an invalid one
answers 400 naming the object and the fix, and nothing is stored. The ATT&CK ids the signal does not
link are named as warnings in the reader's language (``?lang=en``: English).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from gbvs.countries.matching import iso2_to_iso3
from gbvs.db.services import signals as service
from gbvs.errors import in_words
from gbvs.security import Permission
from gbvs.signals import stix
from gbvs.signals.markings import Distribution, parse_tlp
from gbvs.web.api.common import PROBLEM_CONTENT, api_router
from gbvs.web.api.signals import WRITE
from gbvs.web.signalaccess import STIX_MEDIA_TYPE, Db, Reader, vocabulary
from gbvs.web.signalviews import SignalDetail, signal_detail

router = api_router(Permission.signals_read, "signals")
LABEL = "STIX bundle"
"""How errors name the bundle before it is read (after: by its id)."""
BUNDLE_SCHEMA = {"type": "object", "description": "A STIX 2.1 bundle (type 'bundle', its objects)"}
REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": f"A STIX 2.1 bundle of at most {stix.MAX_BUNDLE_BYTES:,} bytes and "
        f"{stix.MAX_BUNDLE_OBJECTS:,} objects",
        "content": {
            "application/json": {"schema": BUNDLE_SCHEMA},
            STIX_MEDIA_TYPE: {"schema": BUNDLE_SCHEMA},
        },
    }
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "Imported; Location names the new signal"},
    409: {
        "description": "Every object of the bundle is held already, in this version, by a signal you may "
        "see (the detail names it), or an older version of one than a signal holds",
        "content": PROBLEM_CONTENT,
    },
    413: {
        "description": "The bundle is larger than the server accepts: split it",
        "content": PROBLEM_CONTENT,
    },
}


class StixWarning(BaseModel):
    """An ATT&CK id an attack pattern of the bundle names that the signal does not link, and why."""

    objectId: str = Field(description="The STIX id of the attack pattern")
    technique: str = Field(description="The ATT&CK id it names")
    retired: bool = Field(description="Revoked or deprecated by its producer (else unknown to GBVS)")
    message: str = Field(description="What to do, in the reader's language (?lang=en: English)")


class StixImportResult(BaseModel):
    """What the import made: the new signal and what became of the bundle's objects."""

    signal: SignalDetail
    storedObjects: int = Field(description="Objects the signal keeps for its exports")
    leftOut: int = Field(
        description="Objects GBVS makes itself, left out (its identity and definitions, organisations' "
        "identities, countries' locations): every export carries this installation's own"
    )
    leftOutIds: list[str] = Field(description="The STIX ids of the objects counted in leftOut")
    alreadyImported: int = Field(description="Objects left out as imported already (the same version)")
    alreadyImportedIds: list[str] = Field(
        description="The STIX ids of the objects counted in alreadyImported"
    )
    newerVersions: int = Field(description="Newer versions of objects a signal holds, stored with this one")
    newerVersionIds: list[str] = Field(description="The STIX ids of the objects counted in newerVersions")
    exportNotes: int = Field(
        description="Provenance notes of a GBVS export, left out: they say who exported that bundle when, "
        "from which register and under whose need-to-know, not what the signal is",
    )
    exportNoteIds: list[str] = Field(description="The STIX ids of the notes counted in exportNotes")
    warnings: list[StixWarning]


async def bundle_bytes(request: Request) -> bytes:
    """The request body, read up to :data:`gbvs.signals.stix.MAX_BUNDLE_BYTES` (413 beyond)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > stix.MAX_BUNDLE_BYTES:
        raise _too_large(int(declared))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > stix.MAX_BUNDLE_BYTES:
            raise _too_large(size)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int) -> HTTPException:
    return HTTPException(
        413,
        detail=f"the STIX bundle has more than {size:,} bytes; bundles up to {stix.MAX_BUNDLE_BYTES:,} bytes "
        "are accepted: split it",
    )


@router.post(
    "/signals/stix-bundles",
    response_model=StixImportResult,
    status_code=201,
    summary="Import a STIX 2.1 bundle as a signal of the caller's organisation",
    responses=RESPONSES,
    openapi_extra=REQUEST_BODY,
    dependencies=WRITE,
)
def import_stix_bundle(
    request: Request,
    response: Response,
    db: Db,
    principal: Reader,
    body: Annotated[bytes, Depends(bundle_bytes)],
    tlp: str | None = Query(
        default=None, max_length=20, description="The TLP when the bundle carries none (e.g. amber)"
    ),
    distribution: Distribution = Query(default=Distribution.organisation),
    sharingGroup: str | None = Query(
        default=None, max_length=64, description="The sharing group (with distribution sharing_group)"
    ),
    recipients: list[str] = Query(default_factory=list, max_length=200, description="TLP:RED recipients"),
) -> StixImportResult:
    """As ``gbvs signals import-stix``: one signal keeping the bundle's objects and markings; its TLP is
    the bundle's most restrictive marking (``tlp`` only when it carries none, never lower)."""
    document = stix.read_bundle(body, LABEL)
    label = str(document.get("id") or LABEL)[:120]
    known = vocabulary(request).techniques
    draft, objects = stix.draft_from_bundle(
        document,
        label=label,
        owner_organisation=principal.organisation_code or "-",
        reported_on=date.today(),
        tlp=parse_tlp(tlp) if tlp else None,
        distribution=distribution,
        sharing_group=sharingGroup or None,
        red_recipients=tuple(recipients),
        iso3=iso2_to_iso3(),
        techniques=known,
    )
    result = service.import_stix(db, principal, draft, objects, label)
    db.commit()
    response.headers["Location"] = f"{request.url.path.rsplit('/', 1)[0]}/{result.signal_id}"
    gettext = request.app.state.web.catalogs[request.state.lang].gettext
    warnings = [
        StixWarning(
            objectId=item.object_id,
            technique=item.technique,
            retired=item.retired,
            message=in_words(stix.unlinked_warning(item, label), gettext),
        )
        for item in stix.attack_ids(objects, known).unlinked
    ]
    return StixImportResult(
        signal=signal_detail(service.get_signal(db, principal, result.signal_id), ()),
        storedObjects=result.stored,
        leftOut=result.left_out,
        leftOutIds=list(result.left_out_ids),
        alreadyImported=result.already_imported,
        alreadyImportedIds=list(result.already_imported_ids),
        newerVersions=result.newer_versions,
        newerVersionIds=list(result.newer_version_ids),
        exportNotes=result.export_notes,
        exportNoteIds=list(result.export_note_ids),
        warnings=warnings,
    )
