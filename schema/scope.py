"""Account teams in the schema: the rule every root field follows for a credential scoped to
teams (graph/auth/scope.py says what such a credential sees).

Every field of Query, Mutation and Subscription has a rule in RULES; `with_team_rules` puts
each rule on its field and refuses a schema with a root field that has none, so a new field
cannot be served before someone has decided what a scoped credential gets of it. The rules:

- `SEEN`: the answer is read through the request's loaders (resolvers/context.py), which leave
  out what the credential does not see: a look-up answers null.
- `names(...)`: the arguments name items the credential must see; a read that names one it
  does not answers NOT_FOUND (as for an id that names nothing), a write FORBIDDEN. With
  `required=True` a scoped credential must give one (a list of every customer's items would
  not be its own).
- `own(how)`: the resolver scopes its answer itself (the companies page filters by team).
- `refused(why)`: FORBIDDEN for a scoped credential; `why` says what to use instead.

Credentials of every customer (no teams) pass every rule untouched.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from strawberry.extensions import FieldExtension
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from graph.auth.scope import Visibility
from graph.db.errors import Forbidden, NotFound
from resolvers import nodes as resolve
from resolvers.context import Context, off_loop
from schema.types import Info

# What an argument names: a company or person id, any object's id (node), or an external id
# of a kind (`external:ro` for a role's), which an upsert may write.
Naming = str


@dataclass(frozen=True)
class Rule:
    """How a root field treats a credential scoped to account teams."""

    kind: Literal["seen", "names", "own", "refused"]
    arguments: tuple[tuple[str, Naming], ...] = ()  # dotted python names, e.g. input.person_id
    required: bool = False
    why: str = ""

    def describe(self, *, writes: bool = False) -> str:
        """The rule in words (docs/ACCOUNT_TEAMS.md)."""
        if self.kind == "seen":
            return "null when outside its teams (left out of a list)"
        if self.kind == "own":
            return self.why
        if self.kind == "refused":
            return f"FORBIDDEN: {self.why}"
        named = ", ".join(
            f"`{_camel_path(name)}` ({_WHAT[what.split(':')[0]]})" for name, what in self.arguments
        )
        refusal = "FORBIDDEN" if writes else "NOT_FOUND"
        if writes and any(what in ("person", "node") for _, what in self.arguments):
            named += " (a person: every company of their current roles in its teams too)"
        each = "each given " if len(self.arguments) > 1 else ""
        text = f"{named}: {each}in its teams, else {refusal}"
        if self.required:
            text += "; one must be given"
        return f"{text}; {self.why}" if self.why else text


SEEN = Rule("seen")


def own(how: str) -> Rule:
    return Rule("own", why=how)


def names(*arguments: tuple[str, Naming], required: bool = False, then: str = "") -> Rule:
    return Rule("names", arguments=arguments, required=required, why=then)


def refused(why: str) -> Rule:
    return Rule("refused", why=why)


_ACROSS = "it reads across every customer; it needs a credential of every customer"
_PAGE = "the page holds (and its total counts) only what it sees"
_PATHS = "paths run only through people it sees (the best among those)"
_ADMIN = "managing companies, people, teams and tokens needs a credential of every customer"


RULES: dict[str, dict[str, Rule]] = {
    "Query": {
        # look-ups through the loaders
        "company": SEEN,
        "companyByExternalId": SEEN,
        "companiesByExternalIds": SEEN,
        "person": SEEN,
        "personByExternalId": SEEN,
        "peopleByExternalIds": SEEN,
        "role": SEEN,
        "rolesByExternalIds": SEEN,
        "relationshipsByExternalIds": SEEN,
        "companyRelationshipsByExternalIds": SEEN,
        "referral": SEEN,
        "referralsByExternalIds": SEEN,
        "interaction": SEEN,
        "interactionsByExternalIds": SEEN,
        "dealsByExternalIds": SEEN,
        "node": SEEN,
        "nodes": SEEN,
        # `asOf` reads history, not the loaders: the id is checked first
        "relationship": names(("id", "node")),
        "companyRelationship": names(("id", "node")),
        # lists
        "companies": own("only ours and the customers of the credential's teams"),
        "people": names(("filter.company_id", "company"), then="only people it sees, counted so"),
        "roles": names(
            ("filter.company_id", "company"),
            ("filter.person_id", "person"),
            required=True,
            then=_PAGE,
        ),
        "relationships": names(("filter.person_id", "person"), required=True, then=_PAGE),
        "companyRelationships": names(("filter.company_id", "company"), required=True, then=_PAGE),
        "referrals": own("only the referrals between parties it sees"),
        "interactions": names(
            ("filter.person_id", "person"),
            ("filter.company_id", "company"),
            ("filter.relationship_id", "node"),
            required=True,
            then=_PAGE,
        ),
        "deals": names(("company_id", "company"), required=True),
        "deletedItems": refused(_ACROSS),
        # a customer's views
        "keyPersonMap": names(("company_id", "company"), then=f"the call plan's {_PATHS}"),
        "orgChart": names(("company_id", "company")),
        "lifecycleTimeline": names(("company_id", "company")),
        "dealDepth": names(("company_id", "company")),
        "customerChanges": names(
            ("company_id", "company"), then="only changes of what it sees, counted so"
        ),
        "relationshipMeasures": refused(_ACROSS),
        "fadingRelationships": names(("company_id", "company"), required=True, then=_PAGE),
        "exportRecords": names(
            ("company_id", "company"),
            then="the records of the people and companies it sees, and what lies between them",
        ),
        # history and evolution of what it sees
        "changeHistory": names(("subject_id", "node")),
        "relationshipHistory": names(("a", "person"), ("b", "person")),
        "strengthExplanation": names(
            ("relationship_id", "node"),
            then="a contribution of an interaction it does not see names no interaction",
        ),
        "relationshipHealth": names(("relationship_id", "node")),
        "recentMoves": own("only moves between two roles it sees, with the ties it sees"),
        # traversals and figures of the whole graph
        "introductionPaths": names(
            ("from_person_id", "person"), ("to_person_id", "person"), then=_PATHS
        ),
        "bestIntroductions": names(
            ("to_person_id", "person"), ("to_company_id", "company"), then=_PATHS
        ),
        "referralChain": refused(_ACROSS),
        "topReferrers": refused(_ACROSS),
        "referralConversion": refused(_ACROSS),
        "valueClasses": refused(_ACROSS),
        "networkMeasures": refused(_ACROSS),
        "tierPyramid": refused(_ACROSS),
    },
    "Mutation": {
        "createCompany": refused(_ADMIN),
        "upsertCompany": refused(_ADMIN),
        "updateCompany": refused(_ADMIN),
        "deleteCompany": refused(_ADMIN),
        "restoreCompany": refused(_ADMIN),
        "createPerson": refused(_ADMIN),
        "upsertPerson": refused(_ADMIN),
        "updatePerson": names(("id", "person")),
        "deletePerson": refused(_ADMIN),
        "restorePerson": refused(_ADMIN),
        "importRecords": refused(_ADMIN),
        "erasePerson": refused(
            "erasing a person reaches into every customer's records; it needs a credential of "
            "every customer"
        ),
        "revokeApiToken": refused(_ADMIN),
        "createRole": names(("input.person_id", "person"), ("input.company_id", "company")),
        "upsertRole": names(
            ("external_id", "external:ro"),
            ("input.person_id", "person"),
            ("input.company_id", "company"),
        ),
        "updateRole": names(("id", "node")),
        "deleteRole": names(("id", "node")),
        "createRelationship": names(
            ("input.from_person_id", "person"), ("input.to_person_id", "person")
        ),
        "upsertRelationship": names(
            ("external_id", "external:kn"),
            ("input.from_person_id", "person"),
            ("input.to_person_id", "person"),
        ),
        "updateRelationship": names(("id", "node")),
        "deleteRelationship": names(("id", "node")),
        "createCompanyRelationship": names(
            ("input.from_company_id", "company"), ("input.to_company_id", "company")
        ),
        "upsertCompanyRelationship": names(
            ("external_id", "external:cr"),
            ("input.from_company_id", "company"),
            ("input.to_company_id", "company"),
        ),
        "updateCompanyRelationship": names(("id", "node")),
        "deleteCompanyRelationship": names(("id", "node")),
        "createReferral": names(("input.referrer_id", "node"), ("input.referred_id", "node")),
        "upsertReferral": names(
            ("external_id", "external:rf"),
            ("input.referrer_id", "node"),
            ("input.referred_id", "node"),
        ),
        "updateReferral": names(("id", "node")),
        "deleteReferral": names(("id", "node")),
        "logInteraction": names(
            ("input.external_id", "external:in"),
            ("input.our_person_ids", "person"),
            ("input.their_person_ids", "person"),
            ("input.company_id", "company"),
        ),
        "recordDeal": names(("input.external_id", "external:de"), ("input.company_id", "company")),
        "updateDeal": names(("id", "node")),
        "deleteDeal": names(("id", "node")),
        "setReportingLine": names(("person_id", "person"), ("manager_id", "person")),
        "removeReportingLine": names(("person_id", "person")),
    },
    "Subscription": {
        "relationshipChanged": own("delivers only changes of what the credential sees"),
        "interactionLogged": own("delivers only interactions the credential sees"),
    },
}


def _values(source: Any, path: str) -> list[str]:
    """The ids at `path` (dotted attribute names) of the arguments: none, one or a list."""
    value: Any = source
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value] if isinstance(value, Iterable) else []


async def _sees(ctx: Context, v: Visibility, id_: str, naming: Naming, writes: bool) -> bool:
    if naming == "company":
        return v.company(id_)
    if naming == "person" or (naming == "node" and writes and id_.startswith("pe_")):
        return await resolve.person_writable(ctx, id_) if writes else v.person(id_)
    if naming.startswith("external:"):
        return await resolve.external_id_seen(ctx, naming.removeprefix("external:"), id_)
    return await resolve.node_seen(ctx, id_)


class TeamRule(FieldExtension):
    """Applies a root field's rule (RULES) for a credential scoped to account teams."""

    def __init__(self, type_name: str, field_name: str, rule: Rule) -> None:
        self.type_name = type_name
        self.field_name = field_name
        self.rule = rule
        self.writes = type_name == "Mutation"

    async def _check(self, info: Info, kwargs: dict[str, Any]) -> None:
        ctx = info.context
        if ctx.principal is None or ctx.principal.sees_every_customer:
            return
        rule = self.rule
        # read once, off the loop, before anything of the field: the loaders then filter with
        # it at no cost (Context.visibility keeps it for the operation)
        v = await off_loop(ctx.visibility)
        if rule.kind == "refused":
            raise Forbidden(
                f"{self.field_name} is not open to a credential scoped to account teams: {rule.why}"
            )
        if rule.kind != "names":
            return
        given = False
        for path, naming in rule.arguments:
            for id_ in _values(kwargs, path):
                given = True
                if not await _sees(ctx, v, id_, naming, self.writes):
                    if self.writes:
                        raise Forbidden(
                            f"{path.split('.')[-1]} '{id_}' is not in your account teams' "
                            "customers (or does not exist)"
                        )
                    raise NotFound(naming.split(":")[-1], id_, field=path)
        if rule.required and not given:
            wanted = " or ".join(path for path, _ in rule.arguments)
            raise Forbidden(
                f"{self.field_name}: a credential scoped to account teams must name one of its "
                f"customers ({wanted})"
            )

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        raise NotImplementedError("root fields resolve asynchronously")  # pragma: no cover

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        await self._check(info, kwargs)
        result = next_(source, info, **kwargs)
        return await result if inspect.isawaitable(result) else result


def with_team_rules(*roots: type | None) -> None:
    """Put each root field's rule on it; a root field without a rule stops the schema."""
    for root in roots:
        if root is None:
            continue
        definition: StrawberryObjectDefinition = root.__strawberry_definition__  # type: ignore[attr-defined]
        rules = RULES[definition.name]
        for field in definition.fields:
            assert isinstance(field, StrawberryField)
            name = field.graphql_name or _camel(field.python_name)
            if name not in rules:
                raise LookupError(
                    f"{definition.name}.{name} has no account-team rule: add one to schema/scope.py"
                )
            if definition.name == "Subscription":  # their resolvers filter what they deliver
                continue
            if not any(isinstance(e, TeamRule) for e in field.extensions):
                # first in the list: applied inside the role check (a permission class), so
                # a role that may not write learns nothing from a team's refusal
                field.extensions.insert(0, TeamRule(definition.name, name, rules[name]))


_WHAT = {
    "company": "a company",
    "person": "a person",
    "node": "any object's id",
    "external": "the item with that external id, if one exists",
}


def _camel_path(path: str) -> str:
    return ".".join(_camel(part) for part in path.split("."))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def rules_table() -> str:
    """Every root field's rule as a Markdown table (docs/ACCOUNT_TEAMS.md holds it; a test
    checks that it is current)."""
    lines = ["| type | field | for a credential scoped to account teams |", "|---|---|---|"]
    for type_name, rules in RULES.items():
        for name, rule in sorted(rules.items()):
            text = rule.describe(writes=type_name == "Mutation")
            lines.append(f"| {type_name} | `{name}` | {text} |")
    return "\n".join(lines) + "\n"
