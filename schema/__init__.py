"""The GraphQL schema: `schema` is what the server serves and schema.graphql records."""

import strawberry
from strawberry.extensions import ParserCache, ValidationCache

from schema.errors import ErrorCodes
from schema.mutation import Mutation
from schema.query import Query
from schema.subscription import Subscription

# A document seen before is parsed and validated once (the caches are keyed by its text and
# shared by all requests; Strawberry wants a factory per extension).
DOCUMENT_CACHE_SIZE = 512


def _parser_cache() -> ParserCache:
    return ParserCache(maxsize=DOCUMENT_CACHE_SIZE)


def _validation_cache() -> ValidationCache:
    return ValidationCache(maxsize=DOCUMENT_CACHE_SIZE)


DOCUMENT_CACHES = (_parser_cache, _validation_cache)

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[ErrorCodes, *DOCUMENT_CACHES],
)

__all__ = ["DOCUMENT_CACHES", "schema"]
