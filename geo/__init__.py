"""Pure data core of the atlas: load, validate, join, convert coordinates, derive geometry.

Nothing in this package imports streamlit; it can be used from a script, a test or another UI.
"""
