"""Domain code of the Smart Village Lampung dashboard, one subpackage per layer.

Imports point down only (checked by import-linter, see pyproject.toml):

    app.py, pages/  ->  ui  ->  views  ->  metrics  ->  intake  ->  data  ->  i18n  ->  domain

Only ``utils.ui`` imports streamlit. ``python -m utils <command>`` is the one command entry point
(``utils/__main__.py``).
"""
