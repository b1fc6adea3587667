"""Several app servers behind nginx on loopback, as deploy/nginx/smart-village.conf describes, for the tests in
this folder and ``bench/replicas.py``.

- ``render_nginx_config``: the repository's file with the replica lines, the listening port, the cache folder and
  the access log replaced (nothing else changes: the tests run the configuration the docs ship);
- ``Proxy``: nginx from Debian's package (``/usr/sbin/nginx``) in the foreground, its own prefix under tmp;
  ``route_cookie_for(port)`` finds an ``sv_route`` value that the consistent hash sends to that replica;
- ``replica_env`` / ``start_replicas``: app servers that share one store (``SV_DATABASE_URL``) but each own a copy
  of the data and boundary folders (as two machines would), with the same cookie secret.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser.harness import HOST, LOG_DIR, ROOT, HarnessError, Server, free_port, start_server

TEMPLATE = ROOT / "deploy" / "nginx" / "smart-village.conf"
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
INSTALL_HINT = "nginx not found: sudo apt-get install -y nginx   (or set NGINX=/path/to/nginx)"
#: One secret for every replica: the XSRF cookie guarding uploads is signed with it (docs/deploy.md).
COOKIE_SECRET = "sv-test-replicas-share-this-secret"

_REPLICAS = re.compile(r"(# replicas:[^\n]*\n)(.*?)(\s*# end of replicas)", re.S)


def render_nginx_config(ports: Sequence[int], listen: int, cache_dir: Path, access_log: Path,
                        template: Path = TEMPLATE) -> str:
    """The repository's nginx file for replicas on ``HOST:<ports>``, listening on ``HOST:<listen>``."""
    text = template.read_text(encoding="utf-8")
    match = _REPLICAS.search(text)
    if match is None:
        raise HarnessError(f"{template}: no '# replicas:' ... '# end of replicas' block")
    servers = "".join(f"    server {HOST}:{p} max_fails=1 fail_timeout=10s;\n" for p in ports)
    text = text[:match.start(2)] + servers.rstrip("\n") + text[match.end(2):]
    replaced = {
        r"listen 80;": f"listen {HOST}:{listen};",
        r"proxy_cache_path /var/cache/nginx/smart-village ": f"proxy_cache_path {cache_dir} ",
        r"access_log /var/log/nginx/smart-village.access.log ": f"access_log {access_log} ",
    }
    for old, new in replaced.items():
        if text.count(old) != 1:
            raise HarnessError(f"{template}: expected one {old!r}")
        text = text.replace(old, new)
    return text


def main_config(prefix: Path, site: Path) -> str:
    """A minimal nginx.conf around the site file: everything under ``prefix``, workers as the current user."""
    user = "" if os.geteuid() != 0 else "user root;\n"  # as root, workers must read the tmp prefix
    temp = "\n".join(f"    {name}_temp_path {prefix / 'tmp' / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} info;\n"
            "events { worker_connections 1024; }\n"
            f"http {{\n{temp}\n    types {{ text/html html; application/javascript js; text/css css; }}\n"
            f"    include {site};\n}}\n")


@dataclass
class Proxy:
    """nginx in front of ``ports``; ``base_url`` is what browsers open."""

    ports: Sequence[int]
    root: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.port = self.port or free_port()
        self.prefix = self.root / "nginx"
        self.access_log = self.prefix / "access.log"

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def start(self, timeout: float = 20.0) -> Proxy:
        if not (os.path.isfile(NGINX) and os.access(NGINX, os.X_OK)):
            raise HarnessError(INSTALL_HINT)
        for sub in ("tmp/client_body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "cache"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        site = self.prefix / "smart-village.conf"
        site.write_text(render_nginx_config(self.ports, self.port, self.prefix / "cache", self.access_log))
        conf = self.prefix / "nginx.conf"
        conf.write_text(main_config(self.prefix, site))
        check = subprocess.run([NGINX, "-t", "-p", str(self.prefix), "-c", str(conf)], capture_output=True,
                               text=True, timeout=30)
        if check.returncode != 0:
            raise HarnessError(f"nginx -t refused the configuration:\n{check.stderr}")
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        with (LOG_DIR / f"nginx-{self.port}.log").open("wb") as log:
            self.process = subprocess.Popen([NGINX, "-p", str(self.prefix), "-c", str(conf), "-g", "daemon off;"],
                                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"nginx exited with {self.process.returncode}: "
                                   f"{(self.prefix / 'error.log').read_text(errors='replace')[-2000:]}")
            with contextlib.suppress(OSError):
                if self.get("/healthz")[0] == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise HarnessError(f"nginx on {self.port} not healthy after {timeout:.0f} s")

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGQUIT)  # graceful: workers finish, then the master exits
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def get(self, path: str, cookie: str | None = None, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
        """Status, headers (lower-case names; ``set-cookie`` joined by newlines) and body of a GET through nginx."""
        request = urllib.request.Request(self.url(path), headers={"Cookie": cookie} if cookie else {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 (loopback only)
                return resp.status, _headers(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, _headers(err.headers), err.read()

    def log_lines(self) -> list[dict[str, str]]:
        """The access log (format ``sv_upstream``): request, status, route, upstream, cache per line."""
        if not self.access_log.exists():
            return []
        pattern = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) \d+ route=(?P<route>\S*) '
                             r"upstream=(?P<upstream>.*?) cache=(?P<cache>\S*)")
        return [m.groupdict() for m in map(pattern.search, self.access_log.read_text().splitlines()) if m]

    def route_cookie_for(self, port: int, tries: int = 200) -> str:
        """An ``sv_route`` value the consistent hash sends to the replica on ``port`` (probed with health GETs),
        and that never went elsewhere: while a replica is briefly marked failed (busy on a loaded machine) nginx
        sends its routes to the other, and a value probed then would carry that line into a later test's check of
        where its own requests went."""
        for n in range(tries):
            value = f"probe-{port}-{n}"
            self.get("/_stcore/health", cookie=f"sv_route={value}")
            lines = [x for x in self.log_lines() if x["route"] == value and x["upstream"] != "-"]
            if lines and all(x["upstream"] == f"127.0.0.1:{port}" for x in lines):
                return value
        raise HarnessError(f"no sv_route value within {tries} tries hashes to port {port}")

    def __enter__(self) -> Proxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _headers(headers) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in headers.items():
        k = k.lower()
        out[k] = f"{out[k]}\n{v}" if k in out else v
    return out


def replica_env(root: Path, name: str, database_url: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment of one replica: the shared store, its own copies of data/ and geo/ under ``root/name``."""
    from utils.data import paths

    data, geo = root / name / "data", root / name / "geo"
    shutil.copytree(paths.DATA_DIR, data, ignore=shutil.ignore_patterns(".cache", "imports", "served_geo", "*.db"))
    shutil.copytree(paths.GEO_DIR, geo)
    return {"SV_DATA_DIR": str(data), "SV_GEO_DIR": str(geo), "SV_DATABASE_URL": database_url,
            "STREAMLIT_SERVER_COOKIE_SECRET": COOKIE_SECRET, **(extra or {})}


def start_replicas(root: Path, database_url: str, n: int = 2, extra: Mapping[str, str] | None = None,
                   prefix: str = "replica") -> list[Server]:
    """``n`` app servers on one store, started one after the other (each healthy before the next)."""
    servers: list[Server] = []
    try:
        for i in range(n):
            name = f"{prefix}-{chr(ord('a') + i)}"
            servers.append(start_server(env=replica_env(root, name, database_url, extra), name=name, timeout=120))
    except Exception:
        for server in servers:
            server.stop()
        raise
    return servers


def stream_upstreams(proxy: Proxy) -> dict[str, int]:
    """Websocket sessions (101 on /_stcore/stream) per replica address, from nginx's access log."""
    out: dict[str, int] = {}
    for line in proxy.log_lines():
        if "/_stcore/stream" in line["request"] and line["status"] == "101":
            out[line["upstream"]] = out.get(line["upstream"], 0) + 1
    return out


def compare(proxy: Proxy, single: Server, *, sessions: int = 30, duration: float = 30.0,
            think: tuple[float, float] = (0.5, 2.0)) -> dict[str, dict]:
    """The same websocket load (``tests/load/sessions.run_load``: ``sessions`` users changing filter and page)
    through the proxy (all replicas) and then straight against ``single``; throughput and latency of each."""
    from tests.load.sessions import run_load

    kw = {"ws_sessions": sessions, "duration": duration, "think": think, "min_actions": 2, "stagger": 0.1}
    before = stream_upstreams(proxy)
    runs = {"proxy": run_load(proxy.base_url, **kw).summary()}
    spread = {k: v - before.get(k, 0) for k, v in stream_upstreams(proxy).items() if v - before.get(k, 0)}
    runs["one_server"] = run_load(single.base_url, **kw).summary()
    figures: dict[str, dict] = {}
    for name, s in runs.items():
        figures[name] = {k: s[k] for k in ("ws_sessions", "sessions_held", "reruns", "duration_s", "p50_ms",
                                           "p95_ms", "max_ms", "errors", "leaks")}
        figures[name]["reruns_per_s"] = round(s["reruns"] / s["duration_s"], 2) if s["duration_s"] else 0.0
    figures["proxy"]["sessions_per_replica"] = spread
    figures["settings"] = {"sessions": sessions, "duration_s": duration, "think_s": list(think),
                           "replicas": len(proxy.ports), "cores": os.cpu_count(),
                           "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()]}
    return figures


def figures_table(figures: dict[str, dict]) -> str:
    """A Markdown table of ``compare``'s figures."""
    rows = ["| | sessions held | reruns | reruns/s | p50 ms | p95 ms | max ms | errors |", "|---|---|---|---|---|---|---|---|"]
    for name, label in (("proxy", f"nginx + {figures['settings']['replicas']} replicas"), ("one_server", "one server")):
        f = figures[name]
        rows.append(f"| {label} | {f['sessions_held']}/{f['ws_sessions']} | {f['reruns']} | {f['reruns_per_s']} | "
                    f"{f['p50_ms']} | {f['p95_ms']} | {f['max_ms']} | {f['errors']} |")
    return "\n".join(rows)
