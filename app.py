"""Entry point: sets up the session's filter from the URL, then routes to the overview page.

Pages live in pages/ and use Streamlit's folder navigation; every page draws the shared sidebar
through utils.ui.page_frame (see README, "Navigation and deep links").
"""

import streamlit as st

from utils import ui

st.set_page_config(page_title="Smart Village Lampung", page_icon=ui.ICON, layout="wide")
try:
    ui.init_state(ui.dataset())
except ui.DataUnavailable as exc:
    st.error(str(exc))
    st.stop()
st.switch_page(ui.PAGES[0][0])
