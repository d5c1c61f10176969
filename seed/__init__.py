"""Demo data, and (later) the synthetic generator and import/export; writes only via graph/."""
