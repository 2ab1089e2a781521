"""Open data: totals only, for Open decisions, when OPEN_DATA_ENABLED is switched on."""
