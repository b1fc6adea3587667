"""A headless Streamlit client: the browser's side of ``/_stcore/stream`` in Python, for load tests.

Streamlit 1.67 serves the app with Starlette/uvicorn; the browser talks to it over one websocket:
protobuf ``BackMsg`` frames up, ``ForwardMsg`` frames down (``streamlit.proto``). What the frontend does
and this client copies (streamlit's ``frontend/connection`` and ``WidgetStateManager``):

* connect to ``/_stcore/stream`` with subprotocol ``streamlit`` (the second entry would be the XSRF
  token; a client without cookies needs none to run the app);
* ask for a run with ``BackMsg.rerun_script`` = ``ClientState(query_string, page_script_hash,
  widget_states)``; ``widget_states`` carries the value of every widget the last run drew, the changed
  one included, so the server fires that widget's ``on_change``;
* a run streams ``new_session`` (pages, page hash), ``delta`` (elements by ``metadata.delta_path``:
  ``[0, ...]`` main area, ``[1, ...]`` sidebar), ``page_info_changed`` (the URL query the app wrote) and
  ends with ``script_finished``: ``FINISHED_EARLY_FOR_RERUN`` when the script moved on (``st.switch_page``,
  ``st.rerun``), ``FINISHED_SUCCESSFULLY`` when the page is complete.

No ``cached_message_hashes`` are sent, so the server never answers with ``ref_hash`` stand-ins: every
element arrives in full and can be read.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import Message
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

FINISHED_OK = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
FINISHED_COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
#: Widgets whose value the frontend keeps and sends back on every rerun (all string-valued in 1.67).
STRING_WIDGETS = frozenset({"selectbox", "radio", "text_input"})


class ClientError(RuntimeError):
    """The server closed the stream or a run did not finish in time."""


@dataclass
class Widget:
    """One widget the last run drew: its id, kind, label, options (as shown) and current value."""

    id: str
    kind: str
    label: str
    options: list[str]
    value: str | None

    @property
    def key(self) -> str:
        """The user key at the end of the id (``$$ID-<hash>-_w_kab`` -> ``_w_kab``; ``None`` if unkeyed)."""
        return self.id.rsplit("-", 1)[-1]


@dataclass
class RunResult:
    """What one rerun (send -> final ``script_finished``) produced."""

    latency: float
    page_hash: str
    query_string: str
    elements: list[tuple[tuple[int, ...], str, Message]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    runs: int = 0  # script runs in this request (2 when app.py switches to a page)

    def main(self, kind: str) -> list[Message]:
        """Main-area elements of one kind (``heading``, ``markdown``, ``metric`` ...), in order."""
        return [el for path, k, el in self.elements if k == kind and path[:1] == (0,)]

    @property
    def heading(self) -> str | None:
        """The page title (first ``h1`` of the main area)."""
        return next((h.body for h in self.main("heading") if h.tag == "h1"), None)

    @property
    def breadcrumb(self) -> str | None:
        """The header's breadcrumb: the first plain markdown of the main area after the title."""
        return next((m.body for m in self.main("markdown") if m.element_type == m.NATIVE), None)


def _widget(kind: str, el: Any) -> Widget:
    options = list(getattr(el, "options", []))
    if kind == "text_input":
        value = el.value if el.HasField("value") else el.default
    elif el.HasField("raw_value"):
        value = el.raw_value
    elif el.HasField("default") and options:
        value = options[el.default]
    else:
        value = None
    return Widget(el.id, kind, el.label, options, value)


class StreamlitClient:
    """One browser-less session. ``await connect()``, then ``await rerun(...)`` as often as needed.

    ``widgets`` (by user key) and ``pages`` (name -> script hash) always describe the last finished run.
    """

    def __init__(self, base_url: str, *, timeout: float = 120.0, cookie: str | None = None) -> None:
        self.ws_url = base_url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self.timeout = timeout
        self.cookie = cookie  # e.g. a proxy's affinity cookie ("sv_route=...")
        self.page_name = ""
        #: Buttons of the last run (form submit buttons included): label -> widget id.
        self.buttons: dict[str, str] = {}
        self.ws: ClientConnection | None = None
        self.page_hash = ""
        self.query_string = ""
        self.pages: dict[str, str] = {}
        self.widgets: dict[str, Widget] = {}
        self._widget_order: list[Widget] = []

    async def connect(self, query_string: str = "", page_name: str = "") -> RunResult:
        """Open the websocket and run the app as a browser opening ``/<page_name>?<query_string>``."""
        self.ws = await connect(self.ws_url, subprotocols=["streamlit"], max_size=None,  # type: ignore[list-item]
                                open_timeout=self.timeout, ping_interval=None,
                                additional_headers={"Cookie": self.cookie} if self.cookie else None)
        self.query_string = query_string
        self.page_name = page_name
        return await self._run(page_name=page_name)

    async def close(self) -> None:
        """Close the websocket (the server ends the session)."""
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def __aenter__(self) -> StreamlitClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def widget(self, key: str) -> Widget | None:
        """The widget with user key ``key`` in the last run, if drawn."""
        return self.widgets.get(key)

    async def set_widget(self, key: str, value: str) -> RunResult:
        """Change widget ``key`` to the shown option ``value`` and rerun (as a click in the browser)."""
        widget = self.widgets.get(key)
        if widget is None:
            raise KeyError(f"widget {key!r} not drawn in the last run")
        if widget.options and value not in widget.options:
            raise ValueError(f"{value!r} is not an option of {key!r}: {widget.options[:5]}...")
        return await self._run(changes={widget.id: value})

    async def submit(self, button_label: str, values: dict[str, str] | None = None) -> RunResult:
        """Click the button labelled ``button_label`` (a form's submit button: with the form's text inputs set to
        ``values``, by user key) and rerun."""
        if button_label not in self.buttons:
            raise KeyError(f"button {button_label!r} not drawn in the last run: {sorted(self.buttons)}")
        changes = {self.widgets[k].id: v for k, v in (values or {}).items()}
        # A page opened by name (``connect(page_name=...)``) stays that page, as the browser's URL keeps it.
        return await self._run(changes=changes, trigger=self.buttons[button_label],
                               page_hash="" if self.page_name else None, page_name=self.page_name)

    async def goto(self, page_name: str) -> RunResult:
        """Switch page as the sidebar link does (same query string, the page's script hash)."""
        return await self._run(page_hash=self.pages[page_name])

    async def rerun(self) -> RunResult:
        """Rerun the current page with unchanged widgets (the "R" key)."""
        return await self._run()

    def _widget_states(self, changes: dict[str, str], trigger: str | None = None) -> list[WidgetState]:
        states = [WidgetState(id=trigger, trigger_value=True)] if trigger else []
        for w in self._widget_order:
            value = changes.get(w.id, w.value)
            if w.kind not in STRING_WIDGETS or value is None:
                continue
            states.append(WidgetState(id=w.id, string_value=value))
        return states

    async def _run(self, *, changes: dict[str, str] | None = None, page_hash: str | None = None,
                   page_name: str = "", trigger: str | None = None) -> RunResult:
        if self.ws is None:
            raise ClientError("not connected")
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash if page_hash is None else page_hash
        state.page_name = page_name
        state.widget_states.widgets.extend(self._widget_states(changes or {}, trigger))
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        result = await asyncio.wait_for(self._collect(started), self.timeout)
        return result

    async def _collect(self, started: float) -> RunResult:
        """Read ForwardMsgs until the page's run is complete; keep elements, errors, widgets, URL."""
        assert self.ws is not None
        result = RunResult(0.0, self.page_hash, self.query_string)
        widgets: list[Widget] = []
        buttons: dict[str, str] = {}
        while True:
            try:
                raw = await self.ws.recv()
            except Exception as exc:  # noqa: BLE001 - any transport failure ends the session
                raise ClientError(f"stream closed: {type(exc).__name__}: {exc}") from exc
            fmsg = ForwardMsg()
            fmsg.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            kind = fmsg.WhichOneof("type")
            if kind == "new_session":
                # A (re)started script run: the element tree and widgets are rebuilt from here.
                ns = fmsg.new_session
                self.pages = {p.page_name: p.page_script_hash for p in ns.app_pages}
                self.page_hash = ns.page_script_hash
                result.elements.clear()
                widgets, buttons = [], {}
            elif kind == "delta" and fmsg.delta.WhichOneof("type") == "new_element":
                el_kind = fmsg.delta.new_element.WhichOneof("type")
                el = getattr(fmsg.delta.new_element, el_kind)
                path = tuple(fmsg.metadata.delta_path)
                result.elements.append((path, el_kind, el))
                if el_kind == "exception":
                    result.errors.append(f"exception {el.type}: {el.message}")
                elif el_kind == "alert" and el.format == Alert.ERROR:
                    result.errors.append(f"st.error: {el.body[:300]}")
                elif el_kind in STRING_WIDGETS:
                    widgets.append(_widget(el_kind, el))
                elif el_kind == "button":
                    buttons[el.label] = el.id
            elif kind == "page_info_changed":
                self.query_string = fmsg.page_info_changed.query_string
            elif kind == "session_event" and fmsg.session_event.HasField("script_compilation_exception"):
                exc = fmsg.session_event.script_compilation_exception
                result.errors.append(f"compile error {exc.type}: {exc.message}")
            elif kind == "ref_hash":
                result.errors.append("unexpected ref_hash (no cached messages were offered)")
            elif kind == "script_finished":
                result.runs += 1
                status = fmsg.script_finished
                if status == FINISHED_EARLY:
                    continue  # st.switch_page / st.rerun: the next run follows on the same stream
                if status == FINISHED_COMPILE_ERROR:
                    result.errors.append("script finished with a compile error")
                result.latency = time.perf_counter() - started
                result.page_hash, result.query_string = self.page_hash, self.query_string
                self._widget_order = widgets
                self.widgets = {w.key: w for w in widgets}
                self.buttons = buttons
                return result
