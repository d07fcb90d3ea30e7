"""Deterministic demo data: one provider, three clients, 12 closed survey months, tickets.

``build_demo(session, seed, today)`` gives the same data for the same seed and day. Scores
follow believable trends (one client improving on responsiveness, one sliding on complaint
handling, one improving on product knowledge), comments are Chinese with a few in English, and
the tickets include SLA breaches.
- Tickets carry the customer's number, an agent and a team (issue #23), drawn from a random
  generator of their own so every other figure stays as it was: breached tickets go mostly to
  customers who rated the month low, met ones mostly to those who rated it well, so the
  dashboard's "what missed deadlines cost" panel shows a gap; agent 周敏 moves from 二组 to 一组
  half-way through the year, and about 1 % of the tickets name a customer number the list lacks.

Structure for the analysis to find, documented here:

- The overall rating is ``sum(OVERALL_WEIGHTS[d] * rating[d]) + noise`` (rounded to 1-5), so
  responsiveness matters most and confidentiality least; the key drivers recover that order
  over the year (tests/cli/test_demo_content.py).
- The optional ratings in ``SKIPPED`` are left out by some respondents every month; a skipped
  answer is simply absent (each figure counts the answers given, as the methods note says).
- ``REMEDY_LIFT``: once the oldest of the last three months' items are done, the remedy for
  that client's dimension works (its ratings rise from the next month on), so one item's effect
  is real; the other items' next-month changes are noise.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis import monthly_analysis

from . import demo_content as content
from .action_items.board import record_effects, save_proposals
from .cycles.aggregates import store_month_aggregates
from .cycles.calendar import cycle_window, parse_month, shift_month
from .cycles.lifecycle import add_cycle
from .models import (
    Agent,
    Answer,
    Clause,
    Contract,
    Customer,
    Cycle,
    DimensionTarget,
    Invitation,
    Organization,
    Question,
    Response,
    Survey,
    SurveyVersion,
    Team,
    Ticket,
    User,
    utcnow,
)
from .models.responses import answer_values, insert_answers
from .survey_versions import standard
from .survey_versions.versioning import VersionTexts, build_version

# The password ``build_demo`` gives the demo users when none is passed: tests sign in with it.
# ``flask demo`` always passes a random one and prints it once, so no deployed demo has a
# password anybody can read in the repository.
DEMO_PASSWORD = "demo-password-2026"
PROVIDER_USERS = [
    ("admin@huaxin.example", "周明", "provider_admin"),
    ("analyst@huaxin.example", "林晓", "provider_analyst"),
]
MONTHS = 12
TIMEZONE = "Asia/Shanghai"
# Weight of each dimension's rating in the overall rating (they sum to 1).
OVERALL_WEIGHTS = {
    "responsiveness": 0.32,
    "problem_solving": 0.26,
    "complaint_handling": 0.19,
    "professional_knowledge": 0.13,
    "courtesy": 0.07,
    "confidentiality": 0.03,
}
MOOD_SD, OVERALL_NOISE_SD = 0.15, 0.25
# Optional rating questions and the share of respondents who skip each.
SKIPPED = {"CONF": 0.15, "KNOW": 0.08}
# Contract number -> (dimension, lift of its mean): the remedy of a done item that worked.
REMEDY_LIFT = {"HX-2025-002": ("complaint_handling", 0.8)}


class DemoExists(RuntimeError):
    """The demo provider is already in the database."""


@dataclass
class DemoSummary:
    contracts: int = 0
    responses: int = 0
    answers: int = 0
    tickets: int = 0
    users: list[str] = field(default_factory=list)


def build_demo(
    session: Session,
    *,
    seed: int,
    today: date,
    progress: Callable[[str], None] = lambda _: None,
    password: str = DEMO_PASSWORD,
) -> DemoSummary:
    """Load the demo in one transaction; raises DemoExists when it is already there.
    Every demo user signs in with ``password``."""
    if session.scalar(select(Organization).where(Organization.name == content.PROVIDER["name"])):
        raise DemoExists()
    rng = random.Random(seed)
    summary = DemoSummary()
    provider = Organization(kind="provider", **content.PROVIDER)
    session.add(provider)
    session.flush()
    password_hash = _password_hash(password)
    for email, name, role in PROVIDER_USERS:
        session.add(
            User(
                email=email,
                name=name,
                role=role,
                organization=provider,
                password_hash=password_hash,
            )
        )
        summary.users.append(email)
    version = _survey(session, provider)
    session.flush()
    owner = session.scalar(select(User).where(User.email == PROVIDER_USERS[0][0]))

    last_month = shift_month(f"{today.year:04d}-{today.month:02d}", -1)
    months = [shift_month(last_month, -i) for i in range(MONTHS - 1, -1, -1)]
    staff = _staff(session, provider)
    for spec in content.CLIENTS:
        progress(f"  {spec['number']} {spec['name']}")
        client = Organization(
            kind="client", name=spec["name"], contact_person="客服主管", phone="400-800-0000"
        )
        session.add(client)
        session.add(
            User(
                email=spec["user"],
                name=f"{spec['name'][:2]}客服主管",
                role="client_viewer",
                organization=client,
                password_hash=password_hash,
            )
        )
        summary.users.append(spec["user"])
        year, mon = parse_month(months[0])
        contract = Contract(
            number=spec["number"],
            title=spec["title"],
            provider=provider,
            client=client,
            owner=owner,
            survey_id=version.survey_id,
            start_date=date(year, mon, 1) - timedelta(days=31),
            end_date=date(year + 2, mon, 1) - timedelta(days=1),
            monthly_fee=Decimal("85000.00"),
            survey_open_day=spec["open_day"],
            survey_open_days=spec["open_days"],
        )
        contract.clauses = [
            Clause(
                ref=ref, position=i, title_zh=tz, title_en=te, obligation_zh=oz, obligation_en=oe
            )
            for i, (ref, tz, te, oz, oe) in enumerate(content.CLAUSES)
        ]
        contract.targets = [
            DimensionTarget(
                dimension=dim,
                clause_ref=ref,
                target_mean=Decimal("3.90"),
                target_csat=Decimal("75.00"),
            )
            for dim, ref in content.DIMENSION_CLAUSES.items()
        ]
        session.add(contract)
        session.flush()
        customers = _customers(session, contract, spec, rng)
        for index, month in enumerate(months):
            responses, answers = _month(
                session, contract, version, customers, spec, month, index, rng
            )
            summary.responses += responses
            summary.answers += answers
            summary.tickets += _tickets(
                session, contract, spec, month, rng, last=index == MONTHS - 1
            )
            store_month_aggregates(session, contract.id, month)
        _link_tickets(session, provider, contract, spec, months, staff, seed)
        _action_items(session, contract, months[-3:], owner, rng)
        summary.contracts += 1
    version.frozen_at = utcnow()
    session.commit()
    return summary


def demo_user_emails() -> list[str]:
    return [email for email, _name, _role in PROVIDER_USERS] + [
        spec["user"] for spec in content.CLIENTS
    ]


def reset_demo_passwords(session: Session, password: str) -> list[str]:
    """Give every demo user ``password``; returns their e-mails (none when no demo is loaded)."""
    users = session.scalars(select(User).where(User.email.in_(demo_user_emails()))).all()
    password_hash = _password_hash(password)
    for user in users:
        user.password_hash = password_hash
        user.session_version = (user.session_version or 0) + 1  # signs out the old sessions
    session.commit()
    return sorted(user.email for user in users)


def _password_hash(password: str) -> str:
    probe = User()
    probe.set_password(password)
    return probe.password_hash


def _survey(session: Session, provider: Organization) -> SurveyVersion:
    survey = Survey(provider_id=provider.id, name="月度客户满意度调查")
    session.add(survey)
    texts = VersionTexts(standard.TITLE_ZH, standard.TITLE_EN, standard.INTRO_ZH, standard.INTRO_EN)
    version = build_version(survey, 1, texts, standard.standard_questions())
    session.add(version)
    return version


def _customers(
    session: Session, contract: Contract, spec: dict, rng: random.Random
) -> list[Customer]:
    customers = []
    for i in range(spec["customers"]):
        name = rng.choice(content.SURNAMES) + rng.choice(content.GIVEN)
        customer = Customer(
            contract_id=contract.id,
            ref=f"{spec['short']}{i + 1:05d}",
            language="en" if rng.random() < 0.12 else "zh_CN",
        )
        customer.set_contact(
            name=name,
            email=f"kh{i + 1:04d}@{spec['short'].lower()}-customers.example",
            mobile=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
        )
        customers.append(customer)
    session.add_all(customers)
    session.flush()
    return customers


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _month(
    session: Session,
    contract: Contract,
    version: SurveyVersion,
    customers: list[Customer],
    spec: dict,
    month: str,
    index: int,
    rng: random.Random,
) -> tuple[int, int]:
    """One closed month: invitations for every customer, responses from about the client's rate."""
    cycle = add_cycle(session, contract, month, version.id, closed=True)
    opens, closes = cycle.opens_at, cycle.closes_at
    questions = {q.code: q for q in version.questions}
    share = index / (MONTHS - 1)
    means = {dim: start + (end - start) * share for dim, (start, end) in spec["trend"].items()}
    lifted = REMEDY_LIFT.get(contract.number)
    if lifted and index >= MONTHS - 2:  # the month after the done items' month, and on
        means[lifted[0]] += lifted[1]
    window = (closes - opens).total_seconds()

    invitations, picked = [], []
    for customer in customers:
        token_hash = hashlib.sha256(
            f"demo:{contract.number}:{month}:{customer.ref}:{rng.random()}".encode()
        ).hexdigest()
        invitation = Invitation(
            cycle_id=cycle.id,
            customer_id=customer.id,
            token_hash=token_hash,
            channel="email",
            locale=customer.language,
            sent_at=opens,
            send_attempts=1,
            expires_at=closes,
        )
        if rng.random() < spec["response_rate"] + 0.25:
            invitation.opened_at = opens + timedelta(seconds=rng.uniform(60, window * 0.8))
            if rng.random() < spec["response_rate"] / (spec["response_rate"] + 0.25):
                invitation.responded_at = invitation.opened_at + timedelta(
                    seconds=rng.randint(60, 400)
                )
                picked.append(invitation)
        invitations.append(invitation)
    session.add_all(invitations)
    session.flush()

    answer_rows = []
    for invitation in picked:
        response = Response(
            invitation_id=invitation.id,
            cycle_id=cycle.id,
            contract_id=contract.id,
            month=month,
            survey_version_id=version.id,
            submitted_at=invitation.responded_at,
            locale=invitation.locale,
            seconds_taken=int((invitation.responded_at - invitation.opened_at).total_seconds()),
        )
        session.add(response)
        session.flush()
        answer_rows.extend(_answers(response, questions, means, rng))
    insert_answers(session, [answer_values(row, row["response_id"]) for row in answer_rows])
    return len(picked), len(answer_rows)


def _answers(
    response: Response, questions: dict[str, Question], means: dict[str, float], rng: random.Random
) -> list[dict]:
    mood = rng.gauss(0, MOOD_SD)
    scores = {dim: _clip(rng.gauss(mean + mood, 0.75), 1, 5) for dim, mean in means.items()}
    weighted = sum(OVERALL_WEIGHTS[dim] * score for dim, score in scores.items())
    overall = _clip(weighted + rng.gauss(0, OVERALL_NOISE_SD), 1, 5)
    skipped = {code for code, rate in SKIPPED.items() if rng.random() < rate}
    nps = _clip(overall * 2.3 - 1.6 + rng.gauss(0, 1.2), 0, 10)
    base = {
        "response_id": response.id,
        "contract_id": response.contract_id,
        "month": response.month,
        "seq": 0,
        "value": None,
        "option_id": None,
        "text_value": None,
    }
    scores["overall"] = overall
    rows = [
        base
        | {
            "question_id": q.id,
            "question_code": q.code,
            "kind": "rating",
            "value": scores[q.dimension],
        }
        for q in questions.values()
        if q.type == "rating" and q.code not in skipped
    ]
    rows.append(
        base
        | {"question_id": questions["NPS"].id, "question_code": "NPS", "kind": "nps", "value": nps}
    )
    if rng.random() < 0.8:
        option = rng.choice(questions["CHANNEL"].options)
        rows.append(
            base
            | {
                "question_id": questions["CHANNEL"].id,
                "question_code": "CHANNEL",
                "kind": "single",
                "option_id": option.id,
            }
        )
    topics = [o for o in questions["TOPICS"].options if rng.random() < 0.35]
    for seq, option in enumerate(topics):
        rows.append(
            base
            | {
                "question_id": questions["TOPICS"].id,
                "question_code": "TOPICS",
                "kind": "multiple",
                "option_id": option.id,
                "seq": seq,
            }
        )
    comment = _comment({d: v for d, v in scores.items() if d != "overall"}, overall, nps, rng)
    if comment:
        rows.append(
            base
            | {
                "question_id": questions["COMMENT"].id,
                "question_code": "COMMENT",
                "kind": "text",
                "text_value": comment,
            }
        )
    return rows


def _comment(scores: dict[str, int], overall: int, nps: int, rng: random.Random) -> str | None:
    if rng.random() > 0.55:
        return None
    worst = min(scores, key=scores.get)
    if scores[worst] <= 2:
        if rng.random() < 0.06:
            return rng.choice(content.IDENTIFYING_COMMENTS)
        return rng.choice(content.NEGATIVE_COMMENTS[worst])
    if overall >= 4 and nps >= 7:
        return rng.choice(content.POSITIVE_COMMENTS)
    return None


def _tickets(
    session: Session, contract: Contract, spec: dict, month: str, rng: random.Random, *, last: bool
) -> int:
    """Inquiries and complaints received in the month; some answered or solved too late."""
    year, mon = parse_month(month)
    start = datetime(year, mon, 1, 8, tzinfo=ZoneInfo(TIMEZONE))
    rows = []
    for kind, count, hours, breach in (
        ("inquiry", rng.randint(35, 55), contract.inquiry_hours, spec["inquiry_breach"]),
        ("complaint", rng.randint(6, 14), contract.complaint_hours, spec["complaint_breach"]),
    ):
        for _ in range(count):
            received = start + timedelta(hours=rng.uniform(0, 27 * 24))
            late = rng.random() < breach
            took = rng.uniform(hours * 1.05, hours * 2.5) if late else rng.uniform(0.2, hours * 0.8)
            ticket = Ticket(
                contract_id=contract.id,
                external_id=f"{spec['short']}-{month.replace('-', '')}-{len(rows) + 1:04d}",
                kind=kind,
                channel=rng.choice(["phone", "online", "email"]),
                received_at=received,
            )
            if kind == "inquiry":
                ticket.first_reply_at = received + timedelta(hours=took)
                ticket.resolved_at = ticket.first_reply_at + timedelta(hours=rng.uniform(0, 12))
            else:
                ticket.first_reply_at = received + timedelta(hours=rng.uniform(0.2, 6))
                if not (last and late):  # a late complaint of the last month is still open
                    ticket.resolved_at = received + timedelta(hours=took)
            rows.append(ticket)
    session.add_all(rows)
    return len(rows)


def _staff(session: Session, provider: Organization) -> dict[str, tuple[Agent, Team]]:
    """The provider's teams and agents (content.TEAMS): agent name -> (agent, first team)."""
    teams = {name: Team(provider_id=provider.id, name=name) for name in content.TEAMS}
    session.add_all(teams.values())
    session.flush()
    staff = {}
    for name, team in content.AGENTS:
        agent = Agent(provider_id=provider.id, name=name, team_id=teams[team].id)
        session.add(agent)
        staff[name] = (agent, teams[team])
    session.flush()
    return staff


def _link_tickets(
    session: Session,
    provider: Organization,
    contract: Contract,
    spec: dict,
    months: list[str],
    staff: dict[str, tuple[Agent, Team]],
    seed: int,
) -> None:
    """Give each ticket a customer, an agent and a team (module doc), with a generator of its
    own: the tickets' timings and every other demo figure are left as they were."""
    rng = random.Random(f"{seed}:tickets:{contract.number}")
    session.flush()
    overall = session.execute(
        select(Response.month, Customer.ref, Answer.value)
        .join(Invitation, Invitation.id == Response.invitation_id)
        .join(Customer, Customer.id == Invitation.customer_id)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Response.contract_id == contract.id, Question.dimension == "overall")
    ).all()
    refs = list(session.scalars(select(Customer.ref).where(Customer.contract_id == contract.id)))
    teams = {team.name: team for _agent, team in staff.values()}
    mover, (_from, to) = content.AGENT_MOVE
    by_month: dict[str, list[tuple[int, str]]] = {}
    for month, ref, value in overall:
        by_month.setdefault(month, []).append((value, ref))
    tickets = session.scalars(
        select(Ticket).where(Ticket.contract_id == contract.id).order_by(Ticket.id)
    ).all()
    for ticket in tickets:
        month = ticket.received_at.astimezone(ZoneInfo(TIMEZONE)).strftime("%Y-%m")
        index = months.index(month) if month in months else 0
        hours = contract.inquiry_hours if ticket.kind == "inquiry" else contract.complaint_hours
        done = ticket.first_reply_at if ticket.kind == "inquiry" else ticket.resolved_at
        late = done is None or (done - ticket.received_at) > timedelta(hours=hours)
        rated = by_month.get(month, [])
        pool = [r for r in rated if (r[0] <= 3) == late]
        if rng.random() < 0.01:
            ticket.customer_ref = f"{spec['short']}-X{rng.randint(1000, 9999)}"
        elif pool and rng.random() < (0.9 if late else 0.6):
            ticket.customer_ref = rng.choice(pool)[1]
        else:
            ticket.customer_ref = rng.choice(refs)
        complaint = ticket.kind == "complaint"
        names = [
            n for n, (_a, t) in staff.items() if (t.name == content.COMPLAINT_TEAM) == complaint
        ]
        if late:  # the slower agents carry most of the late tickets
            names = [n for n in names if n in content.SLOW_AGENTS] or names
        name = rng.choice(names)
        agent, team = staff[name]
        if name == mover:
            team = teams[to] if index >= MONTHS // 2 else team
        ticket.agent_id, ticket.team_id = agent.id, team.id
    mover_agent, _first = staff[mover]
    mover_agent.team_id = teams[to].id
    session.flush()


def _action_items(
    session: Session, contract: Contract, months: list[str], owner: User, rng: random.Random
) -> None:
    """The last three months' proposals, as staff would have worked them: the oldest month's
    items done (with their effect judged on the next month), the middle month's in progress,
    the last month's still proposed."""
    session.flush()
    cycles = {
        c.month: c for c in session.scalars(select(Cycle).where(Cycle.contract_id == contract.id))
    }
    for index, month in enumerate(months):
        age = len(months) - 1 - index
        opens = cycles[month].opens_at
        next_opens, _ = cycle_window(
            shift_month(month, 1), TIMEZONE, contract.survey_open_day, contract.survey_open_days
        )
        result = monthly_analysis(
            session.connection(),
            contract.id,
            month,
            now=cycles[month].closes_at,
            due_by=(next_opens - timedelta(days=1)).date(),
        )
        record_effects(session, contract.id, result)
        for item in save_proposals(session, contract.id, cycles[month].id, result.action_items):
            if age == 2:
                item.status, item.owner_id, item.closed_at = (
                    "done",
                    owner.id,
                    opens + timedelta(days=20),
                )
            elif age == 1:
                item.status = rng.choice(["open", "in_progress"])
                item.owner_id = owner.id
        session.flush()
