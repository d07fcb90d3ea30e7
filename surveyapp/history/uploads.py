"""An uploaded export kept between the upload, mapping and confirm pages.

The file is written to ``<instance>/history-uploads/<id>.bin`` next to a small JSON file with
the contract, the user and the choices so far; only the random id travels in the URL, never the
file in the cookie session. The upload is deleted after its import, and any upload older than a
day is deleted the next time someone uploads.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MAX_AGE_S = 24 * 3600
ID_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")


@dataclass
class Upload:
    id: str
    contract_id: int
    user_id: int
    filename: str
    preset: str
    encoding: str | None
    version_id: int
    mapping: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def folder(instance_path: str) -> Path:
    path = Path(instance_path) / "history-uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(instance_path: str, data: bytes, **meta: Any) -> Upload:
    base = folder(instance_path)
    purge(base)
    upload = Upload(id=secrets.token_urlsafe(16), **meta)
    (base / f"{upload.id}.bin").write_bytes(data)
    update(instance_path, upload)
    return upload


def update(instance_path: str, upload: Upload) -> None:
    (folder(instance_path) / f"{upload.id}.json").write_text(json.dumps(asdict(upload)))


def load(instance_path: str, upload_id: str, contract_id: int, user_id: int) -> Upload | None:
    """The upload when it exists and belongs to this contract and user, else None."""
    if not ID_RE.match(upload_id):
        return None
    path = folder(instance_path) / f"{upload_id}.json"
    try:
        upload = Upload(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if upload.contract_id != contract_id or upload.user_id != user_id:
        return None
    return upload


def data_of(instance_path: str, upload: Upload) -> bytes:
    return (folder(instance_path) / f"{upload.id}.bin").read_bytes()


def delete(instance_path: str, upload: Upload) -> None:
    for suffix in (".bin", ".json"):
        (folder(instance_path) / f"{upload.id}{suffix}").unlink(missing_ok=True)


def purge(base: Path, now: float | None = None) -> None:
    limit = (now or time.time()) - MAX_AGE_S
    for path in base.iterdir():
        if path.suffix in (".bin", ".json") and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
