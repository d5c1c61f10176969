"""Import and export of records (docs/IMPORT_EXPORT.md), and GraphML export."""
