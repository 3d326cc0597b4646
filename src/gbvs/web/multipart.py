"""A page form with a file (``enctype="multipart/form-data"``), read with the standard library.

:func:`gbvs.web.csrf.checked_form` reads URL-encoded forms only; a form that uploads a file (the STIX
bundle on ``/signalen/stix-bundel``) arrives as ``multipart/form-data``. :func:`read_upload` reads such
a body up to a limit (no more is read past it), and :func:`parse_upload` splits it into its text fields
(as :data:`gbvs.web.csrf.Form`) and its files, with Python's ``email`` parser (MIME multipart: the
same format), so no parser of GBVS's own reads the bytes and no extra package is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP

from fastapi import Request

from gbvs.errors import InputError, said

Form = dict[str, list[str]]


@dataclass(frozen=True)
class UploadedFile:
    """A file of the form: the name the browser gave it and its bytes."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Upload:
    """A multipart form: its text fields and its files by field name; ``too_large`` is the number of
    bytes read when the body was larger than the limit (then nothing else is read or parsed)."""

    fields: Form = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    too_large: int | None = None


async def read_upload(request: Request, limit: int) -> Upload:
    """The request's multipart form, read up to ``limit`` bytes; a larger body is ``too_large``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return Upload(too_large=int(declared))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return Upload(too_large=size)
        chunks.append(chunk)
    return parse_upload(request.headers.get("content-type", ""), b"".join(chunks))


def parse_upload(content_type: str, body: bytes) -> Upload:
    """The text fields and files of a ``multipart/form-data`` body; another body is an InputError."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise InputError(
            said(
                "the form was sent as %(type)s, not as multipart/form-data; reload the page and send the "
                "form again",
                type=repr(content_type[:60] or "no content type"),
            )
        )
    header = b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n"
    message = BytesParser(policy=HTTP).parsebytes(header + body)
    fields: Form = {}
    files: dict[str, UploadedFile] = {}
    if isinstance(message, EmailMessage) and message.is_multipart():
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                files[name] = UploadedFile(filename, content)
            else:
                fields.setdefault(name, []).append(content.decode("utf-8", "replace"))
    return Upload(fields, files)
