"""Login for the operator pages (upload, history, imports): form, current operator, role gate.

Viewing needs no login. Accounts come from Streamlit secrets ``[sv_operators.<username>]`` (hashed
passwords, see .streamlit/secrets.toml.example) or the TOML file named by ``SV_OPERATORS_FILE``. When an
OIDC provider is configured under ``[auth]`` (Streamlit's ``st.login``), a "sign in with SSO" button is
offered as well; the signed-in e-mail address maps to an account's ``email``.
"""

from __future__ import annotations

import secrets

import streamlit as st

from utils.data import auth
from utils.data.auth import Operator
from utils.i18n import fmt_int, inert, t
from utils.ui.errors import store_guard

SESSION_KEY = "sv_operator"
CLIENT_KEY = "sv_client"


def _client() -> str:
    """This browser session's id for the sign-in throttle (random, never shown, kept for the session)."""
    if CLIENT_KEY not in st.session_state:
        st.session_state[CLIENT_KEY] = secrets.token_hex(12)
    return st.session_state[CLIENT_KEY]


def _wait_text(seconds: float, lang: str) -> str:
    if seconds < 90:
        return t("auth_wait_seconds", lang, n=fmt_int(max(1, round(seconds)), lang))
    return t("auth_wait_minutes", lang, n=fmt_int(max(2, round(seconds / 60)), lang))


def _accounts() -> dict[str, auth.Account]:
    try:
        configured = st.secrets.get("sv_operators")
    except Exception:  # noqa: BLE001 - no secrets file at all, or an unreadable one
        configured = None
    if configured:
        return auth.accounts_from_config({k: dict(v) for k, v in configured.items()})
    return auth.accounts_from_file()


def _oidc_configured() -> bool:
    try:
        cfg = st.secrets.get("auth")
    except Exception:  # noqa: BLE001
        return False
    if not cfg:
        return False
    return ("client_id" in cfg or any(isinstance(v, dict) or hasattr(v, "keys") for v in cfg.values()))


def current_operator() -> Operator | None:
    """The logged-in operator of this session (password or OIDC login), or None."""
    op = st.session_state.get(SESSION_KEY)
    if op is not None:
        return op
    if _oidc_configured():
        try:
            if st.user.is_logged_in:
                return auth.operator_for_email(_accounts(), str(st.user.get("email", "")))
        except Exception:  # noqa: BLE001 - st.user without a configured provider
            return None
    return None


def _login_form(lang: str) -> None:
    with st.form("sv_login", border=True):
        st.subheader(t("auth_login_title", lang))
        username = st.text_input(t("auth_username", lang), key="_w_login_user")
        password = st.text_input(t("auth_password", lang), type="password", key="_w_login_pw")
        submitted = st.form_submit_button(t("auth_login", lang), type="primary")
    if _oidc_configured():
        st.button(t("auth_login_sso", lang), on_click=st.login)
    if not submitted:
        return
    try:
        with store_guard(lang):  # the throttle counts in the store
            op = auth.authenticate(_accounts(), username, password, auth.Throttle(engine(lang)), _client())
    except auth.LoginThrottled as exc:
        st.error(t("auth_throttled", lang, wait=_wait_text(exc.seconds, lang)))
        return
    if op is None:
        st.error(t("auth_failed", lang))
        return
    st.session_state[SESSION_KEY] = op
    st.rerun()


def require_operator(lang: str, roles: tuple[str, ...] = ("admin", "operator")) -> Operator:
    """The logged-in operator; otherwise draw the login form (or a refusal for a wrong role) and stop."""
    op = current_operator()
    if op is None:
        st.info(t("auth_needed", lang), icon=":material/lock:")
        _login_form(lang)
        st.stop()
    if op.role not in roles:
        st.error(t("auth_role_refused", lang, name=inert.markdown(op.name)))
        st.stop()
    return op


def logout() -> None:
    st.session_state.pop(SESSION_KEY, None)
    if _oidc_configured():
        try:
            if st.user.is_logged_in:
                st.logout()
        except Exception:  # noqa: BLE001
            pass


def sidebar_widget(lang: str) -> None:
    """Who is logged in and a logout button (nothing for anonymous viewers)."""
    op = current_operator()
    if op is None:
        return
    role = t("auth_role_admin" if op.role == "admin" else "auth_role_operator", lang)
    st.caption(t("auth_logged_in_as", lang, name=inert.markdown(op.name), role=role))
    st.button(t("auth_logout", lang), on_click=logout, key="_w_logout", icon=":material/logout:", type="tertiary")


@st.cache_resource(show_spinner=False)
def _engine(url: str):
    from utils.data import store

    engine = store.get_engine(url)
    store.init_schema(engine)
    return engine


def engine(lang: str = "id"):
    """The programme store's engine (one per store URL, shared by the operator pages); a store that cannot
    be opened stops the page with the store message in ``lang``."""
    from utils.data import paths

    with store_guard(lang):
        return _engine(paths.database_url())
