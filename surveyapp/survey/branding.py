"""Who the survey is from: the client's name and logo, the provider's name (issue #22).

A customer taught to distrust SMS links must see on the first screen whose service is rated:
"conducted by <provider> on behalf of <client>", the client's logo when one was uploaded, and
the same in the page title and the share card. The logo is checked here without decoding it:
its magic bytes say PNG, JPEG or WebP, it is at most 256 KB and its header's dimensions are
between 16 and 2,000 pixels. It is served from our own origin under its SHA-256, so its
address changes when it changes and browsers may keep it forever.
"""

from __future__ import annotations

import hashlib
import struct
import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from .. import audit
from ..models import Contract, ContractLogo, Organization, Survey, SurveyVersion, User, utcnow

MAX_LOGO_BYTES = 256 * 1024
MIN_SIDE, MAX_SIDE = 16, 2000
SCALE_STYLES = ("plain", "stars", "faces")
BRANDING_SECONDS = 60


class LogoRefused(ValueError):
    """The upload is not a logo we serve; ``args[0]`` is the message for the admin."""


@dataclass(frozen=True)
class Branding:
    client_name: str
    provider_name: str
    logo_sha256: str | None
    scale_style: str
    timezone: str


def page_branding(session: Session, contract_id: int, survey_version_id: int) -> Branding:
    """``read_branding``, kept for ``BRANDING_SECONDS`` per process: every survey request needs
    it, and a change by staff may take that long to show."""
    if not has_app_context():
        return read_branding(session, contract_id, survey_version_id)
    kept = current_app.extensions.setdefault("survey_branding", {})
    key, now = (contract_id, survey_version_id), time.monotonic()
    found = kept.get(key)
    if found is None or now - found[0] > BRANDING_SECONDS:
        if len(kept) >= 256:
            kept.clear()
        found = kept[key] = (now, read_branding(session, contract_id, survey_version_id))
    return found[1]


def forget_branding() -> None:
    """Drop this process's kept branding (after an edit, so its author sees it at once)."""
    if has_app_context():
        current_app.extensions.pop("survey_branding", None)


def read_branding(session: Session, contract_id: int, survey_version_id: int) -> Branding:
    """The names, logo digest and rating style of a contract's survey page, in one query."""
    client, provider = aliased(Organization), aliased(Organization)
    row = session.execute(
        select(
            client.name, provider.name, ContractLogo.sha256, Survey.scale_style, Contract.timezone
        )
        .select_from(Contract)
        .join(client, client.id == Contract.client_id)
        .join(provider, provider.id == Contract.provider_id)
        .outerjoin(ContractLogo, ContractLogo.contract_id == Contract.id)
        .join(SurveyVersion, SurveyVersion.id == survey_version_id)
        .join(Survey, Survey.id == SurveyVersion.survey_id)
        .where(Contract.id == contract_id)
    ).one()
    style = row[3] if row[3] in SCALE_STYLES else "plain"
    return Branding(row[0], row[1], row[2], style, row[4])


def logo_by_digest(session: Session, digest: str) -> ContractLogo | None:
    return session.scalar(select(ContractLogo).where(ContractLogo.sha256 == digest).limit(1))


def logo_kind(data: bytes) -> tuple[str, int, int]:
    """(content type, width, height) of a PNG, JPEG or WebP read from its header; raises
    ``LogoRefused`` for anything else, too large, or of odd dimensions."""
    if not data:
        raise LogoRefused(_l("Choose an image file."))
    if len(data) > MAX_LOGO_BYTES:
        raise LogoRefused(_l("The logo may be at most 256 KB."))
    kind, size = _header(data)
    if kind is None:
        raise LogoRefused(_l("The logo must be a PNG, JPEG or WebP image."))
    if size is None or not all(MIN_SIDE <= side <= MAX_SIDE for side in size):
        raise LogoRefused(_l("The logo must be between 16 and 2000 pixels wide and high."))
    return kind, size[0], size[1]


def _header(data: bytes) -> tuple[str | None, tuple[int, int] | None]:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(data) >= 24 and data[12:16] == b"IHDR":
            return "image/png", struct.unpack(">II", data[16:24])
        return "image/png", None
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", _jpeg_size(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", _webp_size(data)
    return None, None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first start-of-frame marker (SOF0..SOF15 but DHT, JPG and DAC)."""
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        return width, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def store_logo(
    session: Session, contract: Contract, data: bytes, *, actor: User, now: datetime | None = None
) -> ContractLogo:
    """Check and keep ``data`` as the contract's logo (replacing any), audited; commits."""
    kind, width, height = logo_kind(data)
    logo = session.get(ContractLogo, contract.id) or ContractLogo(contract_id=contract.id)
    logo.content, logo.content_type, logo.size_bytes = data, kind, len(data)
    logo.sha256 = hashlib.sha256(data).hexdigest()
    logo.updated_at = now or utcnow()
    session.add(logo)
    details = {
        "contract": contract.number,
        "type": kind,
        "bytes": len(data),
        "size": f"{width}x{height}",
    }
    audit.record(
        session,
        "contract.logo_set",
        actor=actor,
        subject=contract,
        organization_id=contract.provider_id,
        details=details,
    )
    session.commit()
    forget_branding()
    return logo


def remove_logo(session: Session, contract: Contract, *, actor: User) -> bool:
    """Forget the contract's logo, audited; commits. False when it had none."""
    logo = session.get(ContractLogo, contract.id)
    if logo is None:
        return False
    session.delete(logo)
    audit.record(
        session,
        "contract.logo_remove",
        actor=actor,
        subject=contract,
        organization_id=contract.provider_id,
        details={"contract": contract.number},
    )
    session.commit()
    forget_branding()
    return True


def set_scale_style(session: Session, survey: Survey, style: str, *, actor: User) -> None:
    """How the survey draws its 1-5 ratings (every contract using it), audited; commits."""
    if style not in SCALE_STYLES:
        raise ValueError(style)
    if survey.scale_style != style:
        details = {"survey": survey.name, "from": survey.scale_style, "to": style}
        survey.scale_style = style
        audit.record(
            session,
            "survey.scale_style",
            actor=actor,
            subject=survey,
            organization_id=survey.provider_id,
            details=details,
        )
    session.commit()
    forget_branding()
