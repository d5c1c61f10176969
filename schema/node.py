"""The Node interface: every object with an id of its own, which `node(id:)` fetches again."""

from __future__ import annotations

import strawberry


@strawberry.interface(
    description="An object with an id of its own: `node(id:)` and `nodes(ids:)` fetch it again "
    "by that id (a company's `co_…`, a person's `pe_…`, a role's `ro_…`, a relationship's "
    "`kn_…`, a company relationship's `cr_…`, a referral's `rf_…`, a deal's `de_…`, an "
    "interaction's `in_…`, a change's `ch_…`)."
)
class Node:
    id: strawberry.ID = strawberry.field(description="Its id, unique across every kind.")
