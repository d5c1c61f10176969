"""HTTP plumbing for the server: the GraphQL-over-HTTP view, request ids, limits, logs, metrics.

Nothing here knows the schema or the database; server.py puts the pieces together.
"""
