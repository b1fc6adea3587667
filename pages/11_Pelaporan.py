"""Pelacak Laporan (reporting tracker): per month and kabupaten which reports arrived, when, from whom, their
coverage, approval state and lateness against the due day the Dinas sets; CSV/Excel for the Rakor."""

from utils.ui import shared, tracker

ctx = shared.page_frame("page_tracker", "trk_title")
tracker.section(ctx.ds, ctx.lang)
