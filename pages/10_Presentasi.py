"""Presentasi (meeting mode): the deck of the current filter as full-width slides for the Rakor projector,
with previous/next buttons and arrow keys, and the same deck as PPTX and PDF plus the data as Excel.

The slides come from utils.views.deck (the progress and evaluation figures the other pages show); the glue
(caching, full-screen CSS, exports with progress) is utils.ui.presentasi.
"""

import streamlit as st

from utils.i18n import t
from utils.ui import presentasi, shared

ctx = shared.page_frame("page_present", "pres_heading")
lang = ctx.lang
presenting = presentasi.presenting()

if not presenting:
    st.markdown(t("pres_intro", lang))
kab_codes = presentasi.kab_choice(ctx, draw=not presenting)
if not presenting:
    presentasi.start_button(lang)

deck = presentasi.deck(ctx, kab_codes)
index = presentasi.current(len(deck.slides))
presentasi.navigation(index, len(deck.slides), lang)
presentasi.slide(deck, index)

if not presenting:
    presentasi.downloads(ctx, deck)
    presentasi.pack_download(ctx)
