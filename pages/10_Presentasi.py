"""Presentasi (meeting mode): the deck of the current filter as full-width slides for the Rakor projector,
with previous/next buttons and arrow keys, and the same deck as PPTX and PDF plus the data as Excel.

The slides come from utils.deck (the progress and evaluation figures the other pages show); the glue
(caching, full-screen CSS, exports with progress) is utils.ui_present.
"""

import streamlit as st

from utils import ui, ui_present
from utils.i18n import t

ctx = ui.page_frame("page_present", "pres_heading")
lang = ctx.lang
presenting = ui_present.presenting()

if not presenting:
    st.markdown(t("pres_intro", lang))
kab_codes = ui_present.kab_choice(ctx, draw=not presenting)
if not presenting:
    ui_present.start_button(lang)

deck = ui_present.deck(ctx, kab_codes)
index = ui_present.current(len(deck.slides))
ui_present.navigation(index, len(deck.slides), lang)
ui_present.slide(deck, index)

if not presenting:
    ui_present.downloads(ctx, deck)
