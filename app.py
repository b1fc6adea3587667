"""Entry point: sets up the session's filter from the URL, then routes to the overview page.

Pages live in pages/ and use Streamlit's folder navigation; every page draws the shared sidebar
through utils.ui.shared.page_frame (see README, "Navigation and deep links").
"""

import streamlit as st

from utils.ui import shared

st.set_page_config(page_title="Smart Village Lampung", page_icon=shared.ICON, layout="wide")
try:
    shared.init_state(shared.dataset())
except shared.DataUnavailable as exc:
    shared.data_unavailable(exc)
st.switch_page(shared.PAGES[0][0])
