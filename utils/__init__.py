"""Domain code for the Smart Village Lampung dashboard.

Layers, imports pointing down only:
  app.py / pages/  ->  charts, maps, export, ui  ->  metrics  ->  data (sources, wilayah, geo, idm, store, demo)
Only ui.py (and filters glue) imports streamlit.
"""
