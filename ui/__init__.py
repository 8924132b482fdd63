"""Streamlit-facing glue: cached loaders and view builders used by app.py."""
