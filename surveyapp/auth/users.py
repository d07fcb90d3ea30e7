"""User administration steps: create, invite, change role, deactivate, reactivate, set a
password through a one-time link, ask for a password reset.

Each step is one transaction that commits with its audit event, or raises
:class:`AccountError` having stored nothing. Events are recorded under the provider's
organization (issue #19, 1): the admin's, or for a client user acting alone the provider its
contracts are with.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..access import clients_of_provider
from ..models import ApiToken, Contract, LinkPurpose, Organization, OrgKind, Role, User
from ..security.sessions import end_sessions
from . import links
from .passwords import PasswordRejected, check_new_password

NAME_MAX = 100
EMAIL_MAX = 254


class AccountError(ValueError):
    """The step cannot be done as asked; the message (translatable) says why."""


def normal_email(email: str) -> str:
    return (email or "").strip().lower()


def users_managed_by(provider_id: int) -> Select[tuple[User]]:
    """Users of the provider and of its clients (see :func:`clients_of_provider`)."""
    clients = clients_of_provider(provider_id).with_only_columns(Organization.id)
    return (
        select(User)
        .join(User.organization)
        .where(or_(User.organization_id == provider_id, User.organization_id.in_(clients)))
        .order_by(Organization.kind.desc(), Organization.name, User.email)
    )


def provider_id_of(session: Session, user: User) -> int | None:
    """The provider whose audit log records events of ``user``: its own organization, or
    for a client user the provider of that client's first contract."""
    if user.organization.kind == OrgKind.PROVIDER:
        return user.organization_id
    return session.scalar(
        select(Contract.provider_id)
        .where(Contract.client_id == user.organization_id)
        .order_by(Contract.id)
        .limit(1)
    )


def _unusable_password_hash(user: User) -> None:
    """A hash of a secret nobody knows: no sign-in until a link sets the password, and a
    sign-in attempt costs the same hash work as for anyone else."""
    user.set_password(secrets.token_urlsafe(32))


def _email_in_use(session: Session, email: str) -> bool:
    return session.scalar(select(func.count()).where(User.email == email)) > 0


def _check_email(session: Session, email: str) -> str:
    email = normal_email(email)
    if not email or len(email) > EMAIL_MAX or "@" not in email.strip("@"):
        raise AccountError(_l("Enter a valid e-mail address."))
    if _email_in_use(session, email):
        raise AccountError(
            _l("A user with the e-mail address %(email)s already exists.", email=email)
        )
    return email


def _flush_new_user(session: Session, user: User) -> None:
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # another request took the address in between
        session.rollback()
        raise AccountError(
            _l("A user with the e-mail address %(email)s already exists.", email=user.email)
        ) from exc


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    organization: Organization,
    password: str,
    locale: str = "zh_CN",
    actor_label: str = "system",
) -> User:
    """A user with a password set now (``flask create-user`` and the set-up page)."""
    email = _check_email(session, email)
    expected = OrgKind.CLIENT if Role(role) is Role.CLIENT_VIEWER else OrgKind.PROVIDER
    if organization.kind != expected:
        raise AccountError(
            _l("Role %(role)s belongs to a %(kind)s organization.", role=role, kind=expected)
        )
    try:
        check_new_password(password)
    except PasswordRejected as exc:
        raise AccountError(str(exc)) from exc
    user = User(
        email=email, name=name.strip()[:NAME_MAX] or email, role=role, locale=locale, active=True
    )
    user.organization = organization
    user.set_password(password)
    _flush_new_user(session, user)
    audit.record(
        session,
        "user.created",
        actor_label=actor_label,
        subject=user,
        organization_id=provider_id_of(session, user),
        details={"email": email, "role": str(role)},
    )
    session.commit()
    return user


def invite_user(
    session: Session,
    admin: User,
    *,
    email: str,
    role: Role,
    now: datetime,
    name: str = "",
    client_id: int | None = None,
    locale: str = "zh_CN",
) -> tuple[User, str]:
    """Add an invited user and its invitation link (72 h); returns the user and the secret."""
    email = _check_email(session, email)
    role = Role(role)
    if role is Role.CLIENT_VIEWER:
        organization = session.scalar(
            clients_of_provider(admin.organization_id).where(Organization.id == client_id)
        )
        if organization is None:
            raise AccountError(_l("Choose one of your clients for a client viewer."))
    else:
        organization = admin.organization
    user = User(
        email=email,
        name=name.strip()[:NAME_MAX] or email.partition("@")[0][:NAME_MAX],
        role=role,
        locale=locale,
        active=True,
        invitation_pending=True,
    )
    user.organization = organization
    _unusable_password_hash(user)
    _flush_new_user(session, user)
    secret = links.issue(session, LinkPurpose.INVITATION, now, user=user, created_by=admin)
    audit.record(
        session,
        "user.invited",
        actor=admin,
        subject=user,
        organization_id=admin.organization_id,
        details={"email": email, "role": role.value, "organization": organization.name},
    )
    session.commit()
    return user, secret


def resend_invitation(session: Session, admin: User, user: User, now: datetime) -> str:
    """A new invitation link for a user who has not set a password; the old link stops working."""
    if not user.invitation_pending or not user.active:
        raise AccountError(_l("%(email)s has no open invitation.", email=user.email))
    secret = links.issue(session, LinkPurpose.INVITATION, now, user=user, created_by=admin)
    audit.record(
        session,
        "user.invitation_resent",
        actor=admin,
        subject=user,
        organization_id=admin.organization_id,
        details={"email": user.email},
    )
    session.commit()
    return secret


def change_role(session: Session, admin: User, user: User, role: Role) -> bool:
    """Switch a provider user between admin and analyst; False when nothing changed."""
    role = Role(role)
    if user.id == admin.id:
        raise AccountError(_l("You cannot change your own role."))
    if not user.role_enum.is_provider or not role.is_provider:
        raise AccountError(_l("Only provider users switch between administrator and analyst."))
    if user.role == role:
        return False
    before, user.role = user.role, role.value
    audit.record(
        session,
        "user.role_changed",
        actor=admin,
        subject=user,
        organization_id=admin.organization_id,
        details={"email": user.email, "role": {"from": before, "to": role.value}},
    )
    session.commit()
    return True


def deactivate_user(session: Session, admin: User, user: User, now: datetime) -> bool:
    """Switch ``user`` off: sessions end, API tokens it made are revoked, open links spent."""
    if user.id == admin.id:
        raise AccountError(_l("You cannot deactivate yourself."))
    if not user.active:
        return False
    user.active = False
    end_sessions(session, user)
    revoked = session.execute(
        update(ApiToken)
        .where(ApiToken.created_by_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    links.spend_all(session, None, now, user=user)
    audit.record(
        session,
        "user.deactivated",
        actor=admin,
        subject=user,
        organization_id=admin.organization_id,
        details={"email": user.email, "api_tokens_revoked": revoked},
    )
    session.commit()
    return True


def reactivate_user(session: Session, admin: User, user: User) -> bool:
    """Switch ``user`` on again (revoked API tokens stay revoked)."""
    if user.active:
        return False
    user.active = True
    audit.record(
        session,
        "user.reactivated",
        actor=admin,
        subject=user,
        organization_id=admin.organization_id,
        details={"email": user.email},
    )
    session.commit()
    return True


def set_password_with_link(
    session: Session, secret: str, password: str, now: datetime, *, name: str | None = None
) -> User:
    """Set the password of the link's user (and the name, for an invitation); spends the link
    and ends the user's other sessions. :class:`links.LinkUnusable` or :class:`AccountError`."""
    link = links.find(session, secret, (LinkPurpose.INVITATION, LinkPurpose.PASSWORD_RESET), now)
    user = link.user
    if user is None or not user.active:
        raise links.LinkUnusable("unknown")
    try:
        check_new_password(password)
    except PasswordRejected as exc:
        raise AccountError(str(exc)) from exc
    links.spend(session, link, now)
    user.set_password(password)
    if name and name.strip():
        user.name = name.strip()[:NAME_MAX]
    accepted = user.invitation_pending
    user.invitation_pending = False
    end_sessions(session, user)
    action = "user.password_reset"
    if accepted:
        action = "user.invitation_accepted"
    audit.record(
        session,
        action,
        actor=user,
        subject=user,
        organization_id=provider_id_of(session, user),
        details={"email": user.email},
    )
    session.commit()
    session.refresh(user)
    return user


def request_password_reset(session: Session, email: str, now: datetime) -> tuple[User, str] | None:
    """A reset link (1 h) for the active user with ``email``, or None. The request is audited
    either way, so both paths write and commit the same (the page says the same either way)."""
    email = normal_email(email)[:EMAIL_MAX]
    user = session.scalar(select(User).where(User.email == email, User.active.is_(True)))
    if user is None:
        audit.record(
            session, "password_reset.requested", actor_label=email[:120], details={"known": False}
        )
        session.commit()
        return None
    secret = links.issue(session, LinkPurpose.PASSWORD_RESET, now, user=user)
    audit.record(
        session,
        "password_reset.requested",
        actor_label=email[:120],
        subject=user,
        organization_id=provider_id_of(session, user),
        details={"known": True},
    )
    session.commit()
    return user, secret
