"""All database access: the connection, the embedded engine and every Cypher statement."""
