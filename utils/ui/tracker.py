"""The reporting tracker on "Kualitas Data": per month and kabupaten which reports arrived, when, from whom,
their coverage, approval state and lateness; CSV/Excel for the Rakor; the due day for administrators.

Streamlit glue only: the table is ``utils.metrics.reporting.tracker``, shown as
``utils.views.reporting_display.tracker_display``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from utils.data import store
from utils.data.dataset import Dataset
from utils.i18n import fmt_int, inert, t
from utils.intake import apply
from utils.metrics import reporting
from utils.ui import login
from utils.ui.errors import store_guard
from utils.views import reporting_display as rpd
from utils.views.exports import excel


def section(ds: Dataset, lang: str, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    engine = login.engine(lang)
    with store_guard(lang):
        uploads = store.read_uploads(engine)
    tracked = uploads[uploads["kind"].isin(reporting.TRACKED_KINDS) & uploads["kab_code"].notna()]
    last_month = (pd.Timestamp(today).to_period("M") - 1).strftime("%Y-%m")
    periods = sorted({last_month, *reporting.upload_period(tracked)} if len(tracked) else {last_month}, reverse=True)
    day = reporting.due_day(ds.meta)
    st.caption(t("trk_intro", lang, day=day))
    period = st.selectbox(t("trk_period", lang), periods, key="trk_period")
    with store_guard(lang):
        covered = reporting.upload_coverage(engine, [int(i) for i in tracked["upload_id"]])
    frame = reporting.tracker(uploads, covered, ds.regions, period, day, today)
    arrived = frame.loc[frame["status"] != "missing", "kab_code"].nunique()
    late = frame.loc[frame["late"], "kab_code"].nunique()
    st.markdown(t("trk_summary", lang, arrived=fmt_int(arrived, lang), total=fmt_int(frame["kab_code"].nunique(), lang),
                  period=period, late=fmt_int(late, lang)))
    shown = rpd.tracker_display(frame, ds.names, lang)
    st.dataframe(shown, hide_index=True, width="stretch", key="trk_table", height=35 * (len(shown) + 1) + 3)  # every row
    c1, c2 = st.columns(2)
    c1.download_button(t("csv_download", lang), inert.csv_bytes(shown), file_name=f"pelacak-laporan-{period}.csv",
                       mime="text/csv", icon=":material/download:", key="trk_csv")
    c2.download_button(t("trk_xlsx", lang), lambda: excel.table_xlsx(shown, t("trk_title", lang), lang),
                       file_name=f"pelacak-laporan-{period}.xlsx", mime=excel.XLSX_MIME, icon=":material/table_view:",
                       key="trk_xlsx", on_click="ignore")
    op = login.current_operator()
    if op is not None and op.role == "admin":
        new = int(st.number_input(t("trk_due_day", lang), min_value=1, max_value=28, value=day, step=1,
                                  key="trk_due_day"))
        if new != day:
            try:
                with store_guard(lang):
                    apply.set_report_due_day(engine, new, op)
            except apply.ApplyError as exc:
                st.error(t(exc.key, lang, **exc.kw))
                st.stop()
            st.rerun()
