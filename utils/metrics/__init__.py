"""Metrics: figures computed from the dataset (the per-region indicator table, adoption and Bimtek
progress, the evaluation scorecard, data-quality findings). No streamlit."""
