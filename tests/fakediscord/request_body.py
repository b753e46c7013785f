"""Reading request bodies the way Discord accepts them: JSON, or multipart with ``payload_json``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from .errors import bad_value, invalid_form_body


@dataclass(frozen=True)
class UploadedFile:
    """A file part (``files[n]``) of a multipart request."""

    index: int
    filename: str
    content_type: str
    data: bytes


@dataclass
class RequestBody:
    """The decoded JSON payload of a request plus any uploaded files."""

    payload: Any = None
    files: list[UploadedFile] = field(default_factory=list)

    def object(self) -> dict[str, Any]:
        """The payload as a JSON object; a missing body counts as ``{}``."""
        if self.payload is None:
            return {}
        if not isinstance(self.payload, dict):
            raise invalid_form_body([bad_value((), "Expected a JSON object.")])
        return self.payload


async def read_body(request: web.Request) -> RequestBody:
    """Decode ``request``'s body; malformed bodies raise a 400 Invalid Form Body."""
    if request.content_type.startswith("multipart/"):
        return await _read_multipart(request)
    raw = await request.read()
    if not raw:
        return RequestBody()
    try:
        return RequestBody(payload=json.loads(raw))
    except ValueError as exc:
        raise invalid_form_body([bad_value((), f"The request body is not JSON: {exc}")]) from exc


async def _read_multipart(request: web.Request) -> RequestBody:
    body = RequestBody()
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        name = part.name or ""
        data = await part.read(decode=False)
        if name == "payload_json":
            body.payload = json.loads(data)
        elif name.startswith("files[") and name.endswith("]"):
            body.files.append(
                UploadedFile(
                    index=int(name[6:-1]),
                    filename=part.filename or f"file{name[6:-1]}",
                    content_type=part.headers.get("Content-Type", "application/octet-stream"),
                    data=bytes(data),
                )
            )
    return body
