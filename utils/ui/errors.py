"""A store that cannot be reached, on any page: one clear message, the details in the server log.

Pages wrap what touches the programme store (``with store_guard(lang): ...``); a locked, corrupt or
unreachable database then shows "Basis data sedang tidak dapat diakses, coba lagi" instead of a traceback,
and the page stops there. Writes are single transactions, so a failed one has changed nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from utils.data.dataset import STORE_WHAT, DataUnavailable
from utils.i18n import t

_LOG = logging.getLogger("smartvillage.store")


def is_store_error(exc: BaseException) -> bool:
    """Errors of an unreachable, locked or corrupt programme store (any driver: SQLAlchemy wraps them). An
    empty store is not one: its own message says how to fill it."""
    if isinstance(exc, DataUnavailable):
        return exc.what == STORE_WHAT and exc.__cause__ is not None
    return isinstance(exc, SQLAlchemyError)


def store_unavailable(lang: str, exc: BaseException) -> NoReturn:
    """Log ``exc`` with its traceback (server side only), show the message, stop the page."""
    _LOG.error("programme store unavailable: %s", type(exc).__name__, exc_info=exc)
    st.error(t("rel_store_unavailable", lang), icon=":material/cloud_off:")
    st.stop()


@contextmanager
def store_guard(lang: str) -> Iterator[None]:
    """Run the block; a store error becomes the message (st.stop and st.rerun pass through)."""
    try:
        yield
    except Exception as exc:
        if is_store_error(exc):
            store_unavailable(lang, exc)
        raise
