"""Throughput and latency of N app replicas behind nginx against one server, in the same run.

A throwaway PostgreSQL cluster (tests/postgres.py) with a copy of the demo store, ``--replicas`` app servers on it
(each its own data/ and geo/ copy) and nginx with deploy/nginx/smart-village.conf in front
(tests/deploy/cluster.py). The same load -- ``--sessions`` websocket users changing filter and page with
``--think`` seconds between actions for ``--duration`` seconds (tests/load/sessions.py) -- runs through nginx,
then straight against the first replica alone. Latency = send -> the page's ``script_finished``.

    python -m bench.replicas [--sessions 30] [--duration 60] [--replicas 2]

Writes artifacts/bench/replicas.json and replicas.md; exits 1 when a run had errors or lost sessions.
On a 2-core machine the replicas share the same cores, so the comparison shows the proxy's overhead and the
spread, not a scale-out: replicas on separate machines add their cores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.deploy.cluster import Proxy, compare, figures_table, start_replicas  # noqa: E402
from tests.postgres import Cluster, clone, server_bindir  # noqa: E402
from utils.data import geo_static, paths, store  # noqa: E402

OUT_DIR = ROOT / "artifacts" / "bench"


def demo_database(cluster: Cluster) -> str:
    """URL of a new database on ``cluster`` holding the demo store (data/programme.db)."""
    url = clone(cluster, None)
    source, target = store.get_engine(f"sqlite:///{paths.DEFAULT_DB}"), store.get_engine(url)
    try:
        store.replace_all(target, {n: store.read_table(source, n) for n in store.DATA_TABLES}, store.read_meta(source))
    finally:
        source.dispose()
        target.dispose()
    return url


def measure(sessions: int, duration: float, replicas: int, think: tuple[float, float]) -> dict:
    root = Path(tempfile.mkdtemp(prefix="sv-replicas-"))
    bindir, major = server_bindir()
    cluster = Cluster(bindir, major)
    servers, proxy = [], None
    try:
        cluster.start()
        url = demo_database(cluster)
        servers = start_replicas(root, url, replicas, prefix="bench-replica")
        proxy = Proxy([s.port for s in servers], root).start()
        return compare(proxy, servers[0], sessions=sessions, duration=duration, think=think)
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers:
            server.stop()
            assert server.env is not None  # start_replicas gives each server its own data folders
            shutil.rmtree(geo_static.static_dir(Path(server.env["SV_GEO_DIR"])), ignore_errors=True)
        cluster.destroy()
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX"))
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    figures = measure(args.sessions, args.duration, args.replicas, tuple(args.think))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "replicas.json").write_text(json.dumps(figures, indent=1))
    text = (f"# {args.sessions} sessions, {args.duration:.0f} s: nginx + {args.replicas} replicas vs one server\n\n"
            f"{figures_table(figures)}\n\nsessions per replica: {figures['proxy']['sessions_per_replica']}\n"
            f"settings: {figures['settings']}\n")
    (args.out / "replicas.md").write_text(text)
    print(text)
    ok = all(figures[k]["errors"] == 0 and figures[k]["sessions_held"] == args.sessions for k in ("proxy", "one_server"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
