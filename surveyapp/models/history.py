"""Saved column mappings of history imports, one per contract and source (issue #12).

The mapping of last month's 问卷星 export is proposed again for this month's, so a provider maps
its columns once. ``mapping`` is the JSON form of :class:`surveyapp.history.mapping.Mapping`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime


class ImportMapping(Base):
    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("contract_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(32))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
