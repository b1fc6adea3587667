"""Views: what users see, built from metrics. Plotly charts, display tables, maps, the meeting deck and
every export (Excel, PPTX, PDF, PNG). No streamlit."""
