"""Progress you can see: the dashboard's charts with their tables, and the committee progress
report as at a date (page, CSV and Excel), all built once in ``report.py`` from the rules of
progress (``tracker.progress``)."""
