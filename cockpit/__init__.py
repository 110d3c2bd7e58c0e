"""Ops Cockpit core: store, ingest, KPIs, what-if, links and exports (no Streamlit here)."""

__version__ = "0.1.0"
