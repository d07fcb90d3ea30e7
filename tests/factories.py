"""Factories for rows: valid defaults, overrides by keyword, committed so HTTP tests see them."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from surveyapp.cycles.calendar import cycle_window
from surveyapp.models import (
    ActionItem,
    Answer,
    Contract,
    Customer,
    Cycle,
    Invitation,
    Organization,
    Question,
    QuestionOption,
    Response,
    Survey,
    SurveyVersion,
    Ticket,
    User,
)
from surveyapp.survey.tokens import new_token, token_hash

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def _save(session, obj):
    session.add(obj)
    session.commit()
    return obj


def make_organization(session, kind: str = "client", **kw) -> Organization:
    n = next(_seq)
    return _save(session, Organization(kind=kind, name=kw.pop("name", f"{kind} org {n}"), **kw))


def make_user(
    session, role: str = "provider_admin", organization: Organization | None = None, **kw
) -> User:
    if organization is None:
        organization = make_organization(
            session, "client" if role == "client_viewer" else "provider"
        )
    n = next(_seq)
    user = User(
        email=kw.pop("email", f"user{n}@test.example"),
        name=kw.pop("name", f"User {n}"),
        role=role,
        organization=organization,
        **kw,
    )
    user.set_password(kw.pop("password", PASSWORD))
    return _save(session, user)


def make_contract(
    session, provider: Organization | None = None, client: Organization | None = None, **kw
) -> Contract:
    provider = provider or make_organization(session, "provider")
    client = client or make_organization(session, "client")
    n = next(_seq)
    defaults = dict(number=f"T-{n:05d}", title=f"Contract {n}", start_date=date(2026, 1, 1))
    return _save(session, Contract(provider=provider, client=client, **(defaults | kw)))


def make_survey_version(session, provider: Organization | None = None) -> SurveyVersion:
    """A version with one question of every type: rating, NPS, single, multiple, text."""
    provider = provider or make_organization(session, "provider")
    survey = _save(session, Survey(provider_id=provider.id, name="Test survey"))
    version = SurveyVersion(survey=survey, number=1, title_zh="测试问卷", title_en="Test survey")
    version.questions = [
        Question(
            position=0,
            code="RESP",
            type="rating",
            dimension="responsiveness",
            clause_ref="一(1)",
            text_zh="回复速度",
            text_en="Speed of reply",
        ),
        Question(position=1, code="NPS", type="nps", text_zh="推荐意愿", text_en="Recommend"),
        Question(
            position=2,
            code="CHANNEL",
            type="single",
            required=False,
            text_zh="渠道",
            text_en="Channel",
            options=[
                QuestionOption(position=0, code="phone", label_zh="电话", label_en="Phone"),
                QuestionOption(position=1, code="online", label_zh="在线", label_en="Online"),
            ],
        ),
        Question(
            position=3,
            code="TOPICS",
            type="multiple",
            required=False,
            text_zh="原因",
            text_en="Topics",
            options=[
                QuestionOption(position=0, code="billing", label_zh="账单", label_en="Billing"),
                QuestionOption(position=1, code="repair", label_zh="维修", label_en="Repair"),
            ],
        ),
        Question(
            position=4,
            code="COMMENT",
            type="text",
            required=False,
            max_length=2000,
            text_zh="意见",
            text_en="Comment",
        ),
    ]
    return _save(session, version)


def make_logic_survey_version(session, provider: Organization | None = None) -> SurveyVersion:
    """A version with logic and a matrix: OVERALL (rating), WRONG (text, required, shown only
    when OVERALL <= 2), the matrix SVC of rows SPEED and MANNER, CHANNEL (single), CALLBACK
    (text, shown only when CHANNEL is phone), NPS."""
    provider = provider or make_organization(session, "provider")
    survey = _save(session, Survey(provider_id=provider.id, name="Logic survey"))
    version = SurveyVersion(survey=survey, number=1, title_zh="逻辑问卷", title_en="Logic survey")
    matrix = {"matrix_group": "SVC", "matrix_text_zh": "请评价", "matrix_text_en": "Rate these"}
    version.questions = [
        Question(position=0, code="OVERALL", type="rating", dimension="overall",
                 clause_ref="一(3)", text_zh="总体满意度", text_en="Overall"),
        Question(position=1, code="WRONG", type="text", required=True, max_length=2000,
                 text_zh="哪里出了问题？", text_en="What went wrong?",
                 show_if_code="OVERALL", show_if_op="le", show_if_value="2"),
        Question(position=2, code="SPEED", type="rating", dimension="responsiveness",
                 clause_ref="一(1)", text_zh="回复速度", text_en="Speed", **matrix),
        Question(position=3, code="MANNER", type="rating", dimension="courtesy",
                 clause_ref="一(4)", text_zh="服务态度", text_en="Manner", **matrix),
        Question(
            position=4, code="CHANNEL", type="single", required=False,
            text_zh="渠道", text_en="Channel",
            options=[
                QuestionOption(position=0, code="phone", label_zh="电话", label_en="Phone"),
                QuestionOption(position=1, code="online", label_zh="在线", label_en="Online"),
            ],
        ),
        Question(position=5, code="CALLBACK", type="text", required=False, max_length=500,
                 text_zh="方便回电的时间", text_en="When may we call?",
                 show_if_code="CHANNEL", show_if_op="in", show_if_value="phone"),
        Question(position=6, code="NPS", type="nps", text_zh="推荐意愿", text_en="Recommend"),
    ]  # fmt: skip
    return _save(session, version)


def make_customer(session, contract: Contract, **kw) -> Customer:
    n = next(_seq)
    customer = Customer(contract_id=contract.id, ref=kw.pop("ref", f"C{n:05d}"), **kw)
    customer.set_contact(
        name=f"客户{n}", email=f"customer{n}@mail.example", mobile=f"1380000{n:04d}"
    )
    return _save(session, customer)


def make_cycle(
    session, contract: Contract, version: SurveyVersion | None = None, month: str = "2026-11", **kw
) -> Cycle:
    version = version or make_survey_version(session, contract.provider)
    opens, closes = cycle_window(
        month, contract.timezone, contract.survey_open_day, contract.survey_open_days
    )
    defaults = dict(status="open", opens_at=opens, closes_at=closes, opened_at=opens)
    return _save(
        session,
        Cycle(
            contract_id=contract.id, month=month, survey_version_id=version.id, **(defaults | kw)
        ),
    )



def make_open_cycle(session, contract: Contract, version: SurveyVersion | None = None) -> Cycle:
    """The contract's current month, open since yesterday and for 13 more days: a survey a
    customer can answer now."""
    from surveyapp.cycles.calendar import month_of
    from surveyapp.models import utcnow

    now = utcnow()
    return make_cycle(
        session, contract, version, month=month_of(now, contract.timezone),
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=13),
    )  # fmt: skip

def make_invitation(
    session, cycle: Cycle, customer: Customer | None = None, **kw
) -> tuple[Invitation, str]:
    """An invitation and the clear token of its link (only the hash is stored)."""
    customer = customer or make_customer(session, cycle.contract)
    token = new_token()
    invitation = Invitation(
        cycle_id=cycle.id,
        customer_id=customer.id,
        token_hash=token_hash(token),
        expires_at=cycle.closes_at,
        **kw,
    )
    return _save(session, invitation), token


def make_response(
    session, invitation: Invitation, values: dict[str, int] | None = None, **kw
) -> Response:
    cycle = invitation.cycle
    response = Response(
        invitation_id=invitation.id,
        cycle_id=cycle.id,
        contract_id=cycle.contract_id,
        month=cycle.month,
        survey_version_id=cycle.survey_version_id,
        submitted_at=cycle.opens_at + timedelta(hours=1),
        **kw,
    )
    questions = {q.code: q for q in cycle.survey_version.questions}
    for code, value in (values or {"RESP": 4, "NPS": 9}).items():
        q = questions[code]
        response.answers.append(
            Answer(
                question_id=q.id,
                contract_id=cycle.contract_id,
                month=cycle.month,
                question_code=code,
                kind=q.type,
                value=value,
            )
        )
    return _save(session, response)


def make_ticket(session, contract: Contract, **kw) -> Ticket:
    n = next(_seq)
    defaults = dict(
        external_id=f"TK-{n}",
        kind="inquiry",
        received_at=datetime(2026, 11, 2, 1, tzinfo=UTC),
    )
    return _save(session, Ticket(contract_id=contract.id, **(defaults | kw)))


def make_action_item(session, contract: Contract, **kw) -> ActionItem:
    n = next(_seq)
    defaults = dict(
        month="2026-10",
        key=f"below_target:dim{n}",
        rule="below_target",
        clause_ref="一(1)",
        dimension="responsiveness",
        title=f"Finding {n}",
        remedy="Do better.",
        priority="high",
        due_date=date(2026, 11, 30),
        evidence={"metric": "mean", "mean": 3.5, "n": 40},
    )
    return _save(session, ActionItem(contract_id=contract.id, **(defaults | kw)))
