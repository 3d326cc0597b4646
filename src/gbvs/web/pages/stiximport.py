"""``/signalen/stix-bundel``: a STIX 2.1 bundle file imported as one signal from a page, as
``gbvs signals import-stix`` and ``POST /api/v1/signals/stix-bundles`` import it.

The same steps (:func:`gbvs.signals.stix.read_bundle`, :func:`gbvs.signals.stix.draft_from_bundle`,
the service :func:`gbvs.db.services.signals.import_stix`: ``signals_write``, an organisation, audited
``signals.create``), for the roles the API route admits. The form is sent as ``multipart/form-data``
with its CSRF token in a hidden field, checked as every form's (:class:`gbvs.web.csrf.CheckedUpload`);
a form over :func:`upload_limit` is refused (413) before it is read whole. A successful import
redirects (303) to ``/signalen/stix-bundel/{signal id}``, which its importer may reload without
importing again (it is built from what the import stored). The result page links the new signal
and says what the command line says (the objects GBVS makes itself that were left out, those imported
already, newer versions), each with the ids of its objects; a bad file shows the command line's error
on the form (400) and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gbvs.countries.matching import iso2_to_iso3
from gbvs.db.services import signals as service
from gbvs.errors import FieldError, InputError, NotFoundError, StateConflictError, in_words, said
from gbvs.numbers import decimal
from gbvs.security import Permission
from gbvs.signals import stix
from gbvs.signals.markings import Distribution, Tlp, parse_tlp
from gbvs.web import csrf
from gbvs.web.auth import require
from gbvs.web.multipart import Upload
from gbvs.web.pages.common import page_router
from gbvs.web.pages.formfields import field_of, many, one, parsed
from gbvs.web.pages.signals import DISTRIBUTION_NAMES, checked_id
from gbvs.web.render import render_form_page, render_page
from gbvs.web.signalaccess import Db, Reader, vocabulary

router = page_router(Permission.signals_read)
PATH = "/signalen/stix-bundel"
FILE_FIELD = "bundle"
FIELDS = (FILE_FIELD, "tlp", "distribution", "sharingGroup", "recipients")
FORM_EXTRA = 65_536
"""The bytes a form may have beside its bundle (its other fields, the multipart framing)."""


def upload_limit() -> int:
    """The largest form accepted: a bundle of :data:`gbvs.signals.stix.MAX_BUNDLE_BYTES` and the form's
    other fields."""
    return stix.MAX_BUNDLE_BYTES + FORM_EXTRA


WRITE = [Depends(require(Permission.signals_write))]
Uploaded = Annotated[Upload, Depends(csrf.CheckedUpload(upload_limit))]


@router.get(PATH, response_class=HTMLResponse, dependencies=WRITE)
def stix_form(request: Request, db: Db, principal: Reader) -> HTMLResponse:
    """The form to import a STIX 2.1 bundle file as a signal of the reader's organisation."""
    return _form(request, db, principal, {}, {})


@router.post(PATH, response_model=None, dependencies=WRITE)
def import_bundle(request: Request, upload: Uploaded, db: Db, principal: Reader) -> Response:
    """Import the bundle (as ``gbvs signals import-stix``) and show what became of its objects; a
    refusal is shown on the form, naming the fix, and nothing is stored."""
    if upload.too_large is not None:
        return _form(request, db, principal, {}, {FILE_FIELD: _too_large(upload.too_large)}, status_code=413)
    try:
        label, content = _bundle_file(upload)
        document = stix.read_bundle(content, label)
        known = vocabulary(request).techniques
        tlp_text = one(upload.fields, "tlp").strip()
        draft, objects = stix.draft_from_bundle(
            document,
            label=label,
            owner_organisation=principal.organisation_code or "-",
            reported_on=date.today(),
            tlp=parsed("tlp", parse_tlp, tlp_text) if tlp_text else None,
            distribution=parsed(
                "distribution", Distribution, one(upload.fields, "distribution") or "organisation"
            ),
            sharing_group=one(upload.fields, "sharingGroup").strip() or None,
            red_recipients=tuple(many(upload.fields, "recipients")),
            iso3=iso2_to_iso3(),
            techniques=known,
        )
        result = service.import_stix(db, principal, draft, objects, label)
    except (InputError, NotFoundError) as problem:
        db.rollback()  # a sharing group or recipient not found is a value of the form, as on /signalen/nieuw
        status = 409 if isinstance(problem, StateConflictError) else 400
        errors = {field_of(problem, FIELDS, FILE_FIELD): problem}
        return _form(request, db, principal, upload.fields, errors, status_code=status)
    db.commit()
    return RedirectResponse(f"{PATH}/{result.signal_id}", status_code=303)


@router.get(PATH + "/{signal_id}", response_class=HTMLResponse)
def import_result(request: Request, signal_id: int, db: Db, principal: Reader) -> HTMLResponse:
    """What the import that made signal ``signal_id`` did, for its importer: the page a successful
    import redirects to (Post/Redirect/Get), so reloading it shows the result again and imports nothing.
    It is read from what the import stored (:func:`gbvs.db.services.signals.stix_import_result`)."""
    stored = service.stix_import_result(db, principal, checked_id(signal_id, "signal"))
    signal = stored.signal
    return _result(request, stored.result, signal.title, signal.tlp.label, stored.label, stored.unlinked)


def _bundle_file(upload: Upload) -> tuple[str, bytes]:
    """The bundle's name (as the command line names it: the file's name) and its bytes."""
    chosen = upload.files.get(FILE_FIELD)
    if chosen is None or (not chosen.filename and not chosen.content):
        raise FieldError(FILE_FIELD, said("choose the file of a STIX 2.1 bundle (.json) to import"))
    name = chosen.filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(char for char in name if char.isprintable())[:120] or "STIX bundle", chosen.content


def _too_large(size: int) -> FieldError:
    return FieldError(
        FILE_FIELD,
        said(
            "the file has more than %(size)s bytes; bundles up to %(limit)s bytes are accepted: split it",
            size=f"{size:,}",
            limit=f"{stix.MAX_BUNDLE_BYTES:,}",
        ),
    )


def _form(
    request: Request,
    db: Any,
    principal: Any,
    values: Mapping[str, list[str]],
    errors: Mapping[str, object],
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "values": {name: one(values, name) for name in FIELDS[1:]},
        "errors": errors,
        "order": [name for name in FIELDS if name in errors],
        "groups": service.sharing_group_names(db, principal),
        "distribution_names": DISTRIBUTION_NAMES,
        "tlp_levels": [(level.value, level.label) for level in Tlp],
        "owner": principal.organisation_code,
        "limit": stix.MAX_BUNDLE_BYTES,
    }
    return render_form_page(request, "signal_stix.html", context, status_code=status_code)


def _result(
    request: Request,
    result: service.StixImport,
    title: str,
    tlp: str,
    label: str,
    unlinked: tuple[stix.UnlinkedTechnique, ...],
) -> HTMLResponse:
    """What the import made: the signal (linked) and the command line's lines, with the objects' ids."""
    lang = request.state.lang
    gettext = request.app.state.web.catalogs[lang].gettext
    lines = [
        {"text": gettext(line) % {"n": decimal(getattr(result, count), lang, 0)}, "ids": getattr(result, ids)}
        for count, ids, line in stix.IMPORT_LINES
        if getattr(result, count)
    ]
    context = {
        "result": result,
        "title": title,
        "tlp": tlp,
        "label": label,
        "stored": gettext("STIX objects: %(n)s") % {"n": decimal(result.stored, lang, 0)},
        "lines": lines,
        "warnings": [in_words(stix.unlinked_warning(item, label), gettext) for item in unlinked],
    }
    return render_page(request, "signal_stix_result.html", context)
