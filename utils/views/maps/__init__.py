"""Maps: choropleth classes and messages, the map element's script (``component/``), folium locator
maps and the server-side PNG."""
