"""An uploaded export kept between the upload, mapping and confirm pages.

The file is parsed once, at upload (issue #19, item 6: a workbook is not inflated again at
every view of the mapping page): its rows are written to
``<instance>/history-uploads/<id>.rows`` (one JSON list a line, dates as ``{"d": iso}``), next
to a small JSON file with the contract, the user, the header, the first rows and the choices so
far; only the random id travels in the URL, never the file in the cookie session. The upload is
deleted after its import, and any upload older than a day is deleted at the next upload.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .formats import Table

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
    origin: str = ""
    header: list[str] = field(default_factory=list)
    samples: list[list[str]] = field(default_factory=list)  # per column, the first values
    kind: str = "csv"
    carried: bool = False  # the proposal came from a saved mapping


def folder(instance_path: str) -> Path:
    path = Path(instance_path) / "history-uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


SAMPLE_ROWS = 20


def save(instance_path: str, table: Table, **meta: Any) -> Upload:
    """Keep a parsed file: its rows on disk, its header and first values in the JSON."""
    base = folder(instance_path)
    purge(base)
    upload = Upload(id=secrets.token_urlsafe(16), header=table.header, kind=table.kind, **meta)
    samples: list[list[str]] = [[] for _ in table.header]
    with (base / f"{upload.id}.rows").open("w", encoding="utf-8") as out:
        for count, (line, cells) in enumerate(table.rows):
            out.write(json.dumps([line, [_encode(c) for c in cells]], ensure_ascii=False))
            out.write("\n")
            if count < SAMPLE_ROWS:
                for index, column in enumerate(samples):
                    cell = cells[index] if index < len(cells) else None
                    column.append("" if cell is None else str(cell)[:60])
    upload.samples = samples
    update(instance_path, upload)
    return upload


def _encode(cell: Any) -> Any:
    if cell is None or isinstance(cell, (str, int, float, bool)):
        return cell
    if isinstance(cell, datetime):
        return {"d": cell.isoformat()}
    return str(cell)


def _decode(cell: Any) -> Any:
    if isinstance(cell, dict):
        return datetime.fromisoformat(cell["d"])
    return cell


def table_of(instance_path: str, upload: Upload) -> Table:
    """The upload's rows as a :class:`Table`, read from the parsed copy."""
    return Table(list(upload.header), _rows(folder(instance_path) / f"{upload.id}.rows"),
                 upload.kind)  # fmt: skip


def _rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    with path.open(encoding="utf-8") as lines:
        for text in lines:
            line, cells = json.loads(text)
            yield line, [_decode(c) for c in cells]


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


def delete(instance_path: str, upload: Upload) -> None:
    for suffix in (".rows", ".json"):
        (folder(instance_path) / f"{upload.id}{suffix}").unlink(missing_ok=True)


def purge(base: Path, now: float | None = None) -> None:
    limit = (now or time.time()) - MAX_AGE_S
    for path in base.iterdir():
        if path.suffix in (".bin", ".rows", ".json") and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
