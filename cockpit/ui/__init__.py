"""Streamlit-only helpers: the page shell, KPI cards, the filter bar. Nothing else imports streamlit."""
