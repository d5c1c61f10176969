"""The database: settings, the driver connection, the embedded engine, schema setup, backup,
errors and the change-keyed cache. Nothing here knows the domain."""
