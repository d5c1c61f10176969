"""Credentials: API tokens and signed JWTs, checked into a principal with a role."""
