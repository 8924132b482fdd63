"""Folium layers built from frames. Pure: frames and options in, Folium objects out.

Nothing in this package imports streamlit or reads data files.
"""
