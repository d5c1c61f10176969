"""The GraphQL schema: `schema` is what the server serves and schema.graphql records."""

import strawberry

from schema.errors import ErrorCodes
from schema.mutation import Mutation
from schema.query import Query

schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=[ErrorCodes])

__all__ = ["schema"]
