"""What a survey request needs about its link, read in one query, and the survey it shows.

``read_link(session, token_hash)`` answers with a ``Link``: the invitation, its cycle, the
contract's follow-up facts, its rules and whether its provider has webhooks, all in one round
trip. ``frozen_version`` gives the
questions and options of a survey version as plain frozen dataclasses, read from the database
once per process: a version that a link can reach is used by a cycle and therefore frozen
(``survey_versions.versioning``: an edit makes a new version), so it never changes while the
process runs. ``created_at`` is in the key, so a version id reused by another database never
serves a stale survey. The rules are read on every request: staff may edit them at any time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from flask import current_app, has_app_context
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session, selectinload

from ..followup.rules import RuleSet
from ..models import (
    Contract,
    Cycle,
    CycleStatus,
    FollowupRule,
    Invitation,
    Question,
    SurveyVersion,
    WebhookEndpoint,
)

VERSIONS_KEPT = 64


@dataclass(frozen=True)
class FrozenOption:
    id: int
    code: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class FrozenQuestion:
    id: int
    position: int
    code: str
    type: str
    dimension: str | None
    clause_ref: str | None
    text_zh: str
    text_en: str
    required: bool
    max_length: int | None
    options: tuple[FrozenOption, ...]
    show_if_code: str | None = None
    show_if_op: str | None = None
    show_if_value: str | None = None
    matrix_group: str | None = None
    matrix_text_zh: str | None = None
    matrix_text_en: str | None = None


@dataclass(frozen=True)
class FrozenVersion:
    """A survey version as the form shows it; ``questions`` in their order on the page."""

    id: int
    created_at: datetime
    title_zh: str
    title_en: str
    intro_zh: str
    intro_en: str
    questions: tuple[FrozenQuestion, ...]

    @cached_property
    def by_id(self) -> dict[int, FrozenQuestion]:
        return {q.id: q for q in self.questions}


@dataclass(frozen=True)
class Link:
    """One invitation as a survey request sees it (no contact data)."""

    invitation_id: int
    customer_id: int | None
    locale: str
    expires_at: datetime
    opened_at: datetime | None
    responded_at: datetime | None
    cycle_id: int
    cycle_status: str
    closes_at: datetime
    month: str
    survey_version_id: int
    version_created_at: datetime
    contract_id: int
    contract_number: str
    provider_id: int
    owner_id: int | None
    complaint_hours: int
    rules: RuleSet
    webhooks: bool  # the provider has an active webhook endpoint

    def is_open(self, now: datetime) -> bool:
        return (
            self.cycle_status == CycleStatus.OPEN and now < self.expires_at and now < self.closes_at
        )

    @classmethod
    def of(cls, session: Session, invitation: Invitation) -> Link:
        """The link of an invitation already loaded (as the caller last saw it)."""
        cycle = invitation.cycle
        contract = session.get(Contract, cycle.contract_id)
        rule = session.scalar(
            select(FollowupRule).where(FollowupRule.contract_id == cycle.contract_id)
        )
        return cls(
            invitation_id=invitation.id,
            customer_id=invitation.customer_id,
            locale=invitation.locale,
            expires_at=invitation.expires_at,
            opened_at=invitation.opened_at,
            responded_at=invitation.responded_at,
            cycle_id=cycle.id,
            cycle_status=cycle.status,
            closes_at=cycle.closes_at,
            month=cycle.month,
            survey_version_id=cycle.survey_version_id,
            version_created_at=cycle.survey_version.created_at,
            contract_id=contract.id,
            contract_number=contract.number,
            provider_id=contract.provider_id,
            owner_id=contract.owner_id,
            complaint_hours=contract.complaint_hours,
            rules=RuleSet.of(rule),
            webhooks=bool(session.scalar(select(_has_webhooks(contract.provider_id)))),
        )


def _has_webhooks(provider_id):
    """Whether the provider (an id, or the column in the link query) has an active webhook."""
    return exists().where(
        WebhookEndpoint.organization_id == provider_id, WebhookEndpoint.active.is_(True)
    )


_HAS_WEBHOOKS = _has_webhooks(Contract.provider_id)
_LINK_COLUMNS = (
    Invitation.id,
    Invitation.customer_id,
    Invitation.locale,
    Invitation.expires_at,
    Invitation.opened_at,
    Invitation.responded_at,
    Cycle.id,
    Cycle.status,
    Cycle.closes_at,
    Cycle.month,
    Cycle.survey_version_id,
    SurveyVersion.created_at,
    Contract.id,
    Contract.number,
    Contract.provider_id,
    Contract.owner_id,
    Contract.complaint_hours,
    FollowupRule.id,
    FollowupRule.enabled,
    FollowupRule.nps_max,
    FollowupRule.rating_max,
    FollowupRule.comment_themes,
    FollowupRule.ask_consent,
    _HAS_WEBHOOKS.label("webhooks"),
)
_LINK_QUERY = (
    select(*_LINK_COLUMNS)
    .join(Cycle, Cycle.id == Invitation.cycle_id)
    .join(SurveyVersion, SurveyVersion.id == Cycle.survey_version_id)
    .join(Contract, Contract.id == Cycle.contract_id)
    .outerjoin(FollowupRule, FollowupRule.contract_id == Cycle.contract_id)
    .where(Invitation.token_hash == bindparam("token_hash"))
)


def read_link(session: Session, hashed_token: str) -> Link | None:
    """The link whose token has this hash, or None."""
    # prebuilt and run on the connection: building the statement cost 4x its execution
    row = session.connection().execute(_LINK_QUERY, {"token_hash": hashed_token}).first()
    if row is None:
        return None
    (invitation_id, customer_id, locale, expires_at, opened_at, responded_at, cycle_id,
     cycle_status, closes_at, month, version_id, version_created_at, contract_id, number,
     provider_id, owner_id, complaint_hours, rule_id, *rule, webhooks) = row  # fmt: skip
    rules = RuleSet()
    if rule_id is not None:
        enabled, nps_max, rating_max, themes, ask_consent = rule
        rules = RuleSet(enabled, nps_max, rating_max, tuple(themes.split()), ask_consent)
    return Link(
        invitation_id, customer_id, locale, expires_at, opened_at, responded_at, cycle_id,
        cycle_status, closes_at, month, version_id, version_created_at, contract_id, number,
        provider_id, owner_id, complaint_hours, rules, bool(webhooks),
    )  # fmt: skip


def frozen_version(session: Session, version_id: int, created_at: datetime) -> FrozenVersion:
    """The version's questions and options, read once per app and process (see the module's
    note); read afresh outside an application context (steps called directly)."""
    if not has_app_context():
        return _read_version(session, version_id)
    kept = current_app.extensions.setdefault("survey_frozen_versions", {})
    key = (version_id, created_at)
    version = kept.get(key)
    if version is None:
        version = _read_version(session, version_id)
        if len(kept) >= VERSIONS_KEPT:
            kept.clear()
        kept[key] = version
    return version


def _read_version(session: Session, version_id: int) -> FrozenVersion:
    version = session.scalar(
        select(SurveyVersion)
        .where(SurveyVersion.id == version_id)
        .options(selectinload(SurveyVersion.questions).selectinload(Question.options))
    )
    return FrozenVersion(
        id=version.id,
        created_at=version.created_at,
        title_zh=version.title_zh,
        title_en=version.title_en,
        intro_zh=version.intro_zh,
        intro_en=version.intro_en,
        questions=tuple(
            FrozenQuestion(
                id=q.id,
                position=q.position,
                code=q.code,
                type=q.type,
                dimension=q.dimension,
                clause_ref=q.clause_ref,
                text_zh=q.text_zh,
                text_en=q.text_en,
                required=q.required,
                max_length=q.max_length,
                options=tuple(
                    FrozenOption(o.id, o.code, o.label_zh, o.label_en) for o in q.options
                ),
                show_if_code=q.show_if_code,
                show_if_op=q.show_if_op,
                show_if_value=q.show_if_value,
                matrix_group=q.matrix_group,
                matrix_text_zh=q.matrix_text_zh,
                matrix_text_en=q.matrix_text_en,
            )
            for q in version.questions
        ),
    )
