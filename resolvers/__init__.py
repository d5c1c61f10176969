"""Resolvers: take the request context and plain arguments, call graph/, return graph models."""
