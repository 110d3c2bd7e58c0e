"""What each screen shows, computed without Streamlit (the page models).

cockpit/ui/ draws these with Streamlit; the models are plain functions and dataclasses,
unit-tested on their own: the Data page's operations (dataops), KPI cards (scorecard_view),
Settings (settings_view), What-if (whatif_view), the cost and customer tables
(cost_customer), the schema browser (schema_info), data freshness (freshness) and saved
views, scenarios and queries (saved).
"""
