"""The one place for permission checks.

Every view is decorated with ``@requires(...)`` or ``@public``; ``tests/test_access.py`` reads
the marks from the URL map, so a new route without one fails the tests. Tenant scoping happens
in the lookup: another tenant's id is a 404 (it does not exist for that user), a missing role a
403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, exists, or_, select

from .extensions import db, login_manager
from .models import Contract, Organization, OrgKind, Role, User

F = TypeVar("F", bound=Callable)

PROVIDER_STAFF = (Role.PROVIDER_ADMIN, Role.PROVIDER_ANALYST)
ANY_SIGNED_IN = tuple(Role)


def requires(*roles: Role) -> Callable[[F], F]:
    """Sign-in required; and one of ``roles`` (403 otherwise)."""
    allowed = frozenset(Role(r) for r in roles)

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role_enum not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.access_roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Marks a view that needs no sign-in (survey form, sign-in page, errors)."""
    view.access_roles = None  # type: ignore[attr-defined]
    return view


def contracts_visible_to(user: User) -> Select[tuple[Contract]]:
    """Provider staff see their organization's contracts; a client user only its own."""
    if user.role_enum.is_provider:
        scope = Contract.provider_id == user.organization_id
    else:  # a client sees its contracts once signed (not the provider's drafts)
        scope = (Contract.client_id == user.organization_id) & (Contract.status != "draft")
    return select(Contract).where(scope).order_by(Contract.number)


def contract_or_404(contract_id: int, user: User) -> Contract:
    contract = db.session.scalar(contracts_visible_to(user).where(Contract.id == contract_id))
    if contract is None:
        abort(404)
    return contract


def clients_of_provider(provider_id: int) -> Select[tuple[Organization]]:
    """The client organizations a provider keeps: those it created, and older ones it has a
    contract with (clients made before clients were kept per provider)."""
    has_contract = exists().where(
        Contract.client_id == Organization.id, Contract.provider_id == provider_id
    )
    return (
        select(Organization)
        .where(
            Organization.kind == OrgKind.CLIENT,
            or_(Organization.provider_id == provider_id, has_contract),
        )
        .order_by(Organization.name)
    )


def client_or_404(client_id: int, user: User, *, to_change: bool = False) -> Organization:
    """One of the signed-in provider's clients, or 404. ``to_change``: only a client this
    provider keeps (an older client shared with another provider is read, never changed)."""
    if not user.role_enum.is_provider:
        abort(404)
    query = clients_of_provider(user.organization_id).where(Organization.id == client_id)
    if to_change:
        query = query.where(Organization.provider_id == user.organization_id)
    client = db.session.scalar(query)
    if client is None:
        abort(404)
    return client
