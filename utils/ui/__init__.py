"""Streamlit glue (the only layer that imports streamlit): ``shared`` (page frame, sidebar, cached data)
and one module per page family, named after its page (``peta``, ``evaluasi``, ``presentasi``) plus
``login`` for the operator pages."""
