"""The meeting pack: exports of the current view (HTML, PNG, PDF, PPTX), pure of streamlit."""
