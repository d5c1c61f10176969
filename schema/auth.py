"""What each role may do, as Strawberry permission classes on fields.

    viewer   read
    planner  read; create, update and upsert roles, person and company relationships;
             log interactions; set reporting lines
    analyst  read; the network measures (networkMeasures)
    admin    everything: also companies, people, referrals, deals, imports and every delete

A refused field is an error with extensions.code FORBIDDEN (a request without a credential
never gets this far: resolvers/auth.py answers it with 401).
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission

from graph.auth.tokens import Role
from graph.db.errors import Forbidden, Unauthenticated
from schema.types import Info


class _RoleRequired(BasePermission):
    """Allows the roles in `allowed`."""

    allowed: ClassVar[frozenset[Role]]

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.principal
        if principal is None:
            raise Unauthenticated("missing credential")
        return principal.role in self.allowed

    def on_unauthorized(self) -> None:
        roles = " or ".join(sorted(role.value for role in self.allowed))
        raise Forbidden(f"this needs the role {roles}")


class PlannerWrite(_RoleRequired):
    """Writes of relationships, interactions and roles: planner and admin."""

    allowed = frozenset({Role.PLANNER, Role.ADMIN})


class NetworkMeasures(_RoleRequired):
    """The network measures: analyst and admin."""

    allowed = frozenset({Role.ANALYST, Role.ADMIN})


class AdminOnly(_RoleRequired):
    """Everything else that writes, every delete, imports: admin."""

    allowed = frozenset({Role.ADMIN})


# As `permission_classes=` takes them.
PLANNER_WRITE: list[type[BasePermission]] = [PlannerWrite]
NETWORK_MEASURES: list[type[BasePermission]] = [NetworkMeasures]
ADMIN_ONLY: list[type[BasePermission]] = [AdminOnly]
