"""Data layer: upstream sources and the data build, regions and geometry, the programme store and its
migrations, the demo set, operator accounts, and the ``Dataset`` the pages read. No streamlit."""
