"""The one-page brief off the page: composed from a view (document.py), rendered to PDF
(cockpit.export.pdf) and e-mailed on a schedule (schedule.py, cron.py)."""
