"""Every model, imported here so Alembic and the application see one metadata."""

from .accounts import AccountLink, LinkPurpose
from .action_items import ActionItem, ActionStatus, Effect, Priority
from .agents import Agent, Team
from .aggregates import AnswerCount, AnswerPairCount, MonthSummary
from .audit import AuditEvent
from .base import Base, utcnow
from .breaches import (
    BreachEntry,
    BreachKind,
    BreachMonth,
    BreachNote,
    BreachTerm,
    EntrySource,
    EntryStatus,
    FeePayment,
)
from .contracts import Clause, Contract, ContractStatus, ContractTerm, DimensionTarget
from .customers import Contact, Customer
from .cycles import Channel, Cycle, CycleStatus, Invitation
from .followup import (
    AlertMode,
    AlertPreference,
    CaseStatus,
    FollowupCase,
    FollowupRule,
    ResponseConsent,
)
from .history import ImportMapping
from .ledger import AutopilotStep, StepStatus
from .organizations import ApiToken, Organization, OrgKind, Role, User
from .reports import Report
from .responses import Answer, Response
from .survey_pages import ContractLogo, ResponseDraft
from .surveys import (
    Question,
    QuestionOption,
    QuestionType,
    ShowIf,
    Survey,
    SurveyLanguages,
    SurveyVersion,
)
from .tickets import Ticket, TicketKind
from .webhooks import DeliveryStatus, OutboxEvent, WebhookDelivery, WebhookEndpoint

__all__ = [
    "AccountLink",
    "ActionItem",
    "Agent",
    "ActionStatus",
    "AlertMode",
    "AlertPreference",
    "Answer",
    "AnswerCount",
    "AnswerPairCount",
    "ApiToken",
    "AuditEvent",
    "AutopilotStep",
    "Base",
    "BreachEntry",
    "BreachKind",
    "BreachMonth",
    "BreachNote",
    "BreachTerm",
    "CaseStatus",
    "Channel",
    "Clause",
    "Contact",
    "Contract",
    "ContractLogo",
    "ContractTerm",
    "ContractStatus",
    "Customer",
    "Cycle",
    "CycleStatus",
    "DeliveryStatus",
    "DimensionTarget",
    "Effect",
    "EntrySource",
    "EntryStatus",
    "FeePayment",
    "FollowupCase",
    "FollowupRule",
    "ImportMapping",
    "LinkPurpose",
    "Invitation",
    "MonthSummary",
    "Organization",
    "OrgKind",
    "OutboxEvent",
    "Priority",
    "Question",
    "QuestionOption",
    "QuestionType",
    "Report",
    "Response",
    "ResponseConsent",
    "ResponseDraft",
    "Role",
    "StepStatus",
    "Survey",
    "ShowIf",
    "SurveyLanguages",
    "SurveyVersion",
    "Team",
    "Ticket",
    "TicketKind",
    "User",
    "utcnow",
    "WebhookDelivery",
    "WebhookEndpoint",
]
