"""Importing a contract's customers from CSV: all or nothing unless bad rows are to be skipped.

Columns (header names are case-insensitive; the Chinese names work too):

=============  ========  ===========================================================
``ref``        required  the client's customer number, unique per contract (编号)
``name``       optional  name used in the e-mail greeting (姓名)
``email``      optional  e-mail address for invitations (邮箱)
``mobile``     optional  mobile number, for the client's SMS tool (手机)
``language``   optional  ``zh_CN`` (default) or ``en``; ``zh``, ``zh-CN`` and ``中文`` work (语言)
``active``     optional  ``yes`` (default) or ``no``; ``1``/``0``, ``true``/``false``, 是/否 (有效)
=============  ========  ===========================================================

A row with a known ``ref`` updates that customer (so importing the same file twice changes
nothing); an opted-out customer stays opted out. Contact data is encrypted as it is stored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..csv_import import CellError, Column, ImportReport, Row, read_csv
from ..models import Contract, Customer, User
from ..models.customers import Contact
from ..models.types import keyring

MOBILE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,19}$")
LANGUAGES = {
    "zh_cn": "zh_CN",
    "zh-cn": "zh_CN",
    "zh": "zh_CN",
    "中文": "zh_CN",
    "cn": "zh_CN",
    "en": "en",
    "english": "en",
    "英文": "en",
    "en_us": "en",
    "en-us": "en",
}
YES = {"yes", "y", "1", "true", "是", "有效"}
NO = {"no", "n", "0", "false", "否", "无效"}


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise CellError(_l("Not a valid e-mail address.")) from exc


def _mobile(value: str) -> str:
    if not MOBILE_RE.match(value):
        raise CellError(
            _l("Not a valid mobile number (digits, spaces, dashes, an optional leading +).")
        )
    return value


def _language(value: str) -> str:
    try:
        return LANGUAGES[value.lower()]
    except KeyError:
        raise CellError(_l("Use zh_CN or en.")) from None


def _flag(value: str) -> bool:
    if value.lower() in YES:
        return True
    if value.lower() in NO:
        return False
    raise CellError(_l("Use yes or no."))


COLUMNS = [
    Column("ref", required=True, max_length=64, aliases=("编号", "客户编号", "customer_ref")),
    Column("name", max_length=200, aliases=("姓名", "名称")),
    Column("email", parse=_email, max_length=254, aliases=("邮箱", "电子邮箱", "e-mail")),
    Column("mobile", parse=_mobile, max_length=20, aliases=("手机", "手机号", "phone")),
    Column("language", parse=_language, default="zh_CN", aliases=("语言", "locale")),
    Column("active", parse=_flag, default=True, aliases=("有效",)),
]


@dataclass
class CustomerImport:
    report: ImportReport
    created: int = 0
    updated: int = 0
    skipped: int = 0
    imported: bool = False


def import_customers(
    session: Session,
    contract: Contract,
    data: bytes,
    *,
    skip_bad_rows: bool = False,
    actor: User | None = None,
) -> CustomerImport:
    """Check the whole file, then import it in one transaction (or nothing; see module doc)."""
    report = read_csv(data, COLUMNS)
    result = CustomerImport(report=report)
    if report.file_problem:
        return result
    check_against_contract(session, contract, report)
    if report.problems and not skip_bad_rows:
        return result
    statuses = store_customers(
        session,
        contract,
        report.rows,
        actor=actor,
        details={"skipped_rows": len(report.bad_lines)},
    )
    result.created = sum(1 for status in statuses if status == "created")
    result.updated = len(statuses) - result.created  # a known ref counts, changed or not
    result.skipped = len(report.bad_lines)
    result.imported = True
    session.commit()
    return result


def store_customers(
    session: Session,
    contract: Contract,
    rows: Sequence[Row],
    *,
    actor: User | None = None,
    actor_label: str | None = None,
    details: dict[str, Any] | None = None,
    audit_unchanged: bool = True,
) -> list[str]:
    """The one writer of customers (CSV import and API): create or update each checked row by
    its ref, contact data encrypted; an opted-out customer stays opted out. Returns each row's
    ``created``, ``updated`` or ``unchanged`` (equal to what is stored: nothing written). Adds
    one audit event with the counts (none when nothing changed, unless ``audit_unchanged``);
    the caller commits."""
    existing = {
        c.ref: c
        for c in session.scalars(select(Customer).where(Customer.contract_id == contract.id))
    }
    statuses = []
    for row in rows:
        values = row.values
        contact = Contact(values["name"], values["email"], values["mobile"])
        customer = existing.get(values["ref"])
        if customer is None:
            customer = Customer(contract_id=contract.id, ref=values["ref"])
            session.add(customer)
            statuses.append("created")
        elif (customer.reveal_contact(), customer.language, customer.active) == (
            contact,
            values["language"],
            values["active"],
        ):
            statuses.append("unchanged")
            continue
        else:
            statuses.append("updated")
        customer.set_contact(name=contact.name, email=contact.email, mobile=contact.mobile)
        customer.language = values["language"]
        customer.active = values["active"]
    if not audit_unchanged and statuses.count("unchanged") == len(statuses):
        return statuses
    audit.record(
        session,
        "customers.imported",
        actor=actor,
        actor_label=actor_label,
        subject=contract,
        organization_id=contract.provider_id,
        details={
            "created": statuses.count("created"),
            "updated": statuses.count("updated"),
            "unchanged": statuses.count("unchanged"),
            **(details or {}),
        },
    )
    return statuses


def check_against_contract(session: Session, contract: Contract, report: ImportReport) -> None:
    """Duplicate refs or e-mails in the file, and e-mails that belong to another customer."""
    owners = dict(
        session.execute(
            select(Customer.email_lookup, Customer.ref).where(
                Customer.contract_id == contract.id, Customer.email_lookup.is_not(None)
            )
        ).all()
    )
    seen_refs: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    good = []
    for row in report.rows:
        ref, email = row.values["ref"], row.values["email"]
        problem = None
        if ref in seen_refs:
            problem = ("ref", _l("The same ref is already on line %(line)s.", line=seen_refs[ref]))
        elif email:
            lookup = keyring.lookup_hash(email)
            if lookup in seen_emails:
                problem = (
                    "email",
                    _l("The same e-mail is already on line %(line)s.", line=seen_emails[lookup]),
                )
            elif owners.get(lookup, ref) != ref:
                problem = (
                    "email",
                    _l("This e-mail belongs to customer %(ref)s.", ref=owners[lookup]),
                )
            else:
                seen_emails[lookup] = row.line
        if problem:
            report.add(row.line, *problem)
        else:
            seen_refs[ref] = row.line
            good.append(row)
    report.rows = good
