"""A throwaway PostgreSQL cluster from Debian's server binaries, never a system service.

``Cluster`` runs initdb + pg_ctl in a private temp dir, listening only on a unix socket there, as the
``postgres`` system user when the tests run as root (PostgreSQL refuses to run as root) and as the current
user otherwise; ``destroy()`` stops and deletes it, also after a failed start. Missing server binaries FAIL
the test with the install command. Where the server supports it (PostgreSQL >= 15) the cluster collates with
ICU ``en-US`` like a typical production cluster, not byte order like SQLite, so ordering assumptions show up.

The session fixtures over it (``pg_cluster``, ``pg_demo_template``, ``pg_tmp_store`` ...) are in
tests/conftest.py. Each pytest-xdist worker that needs PostgreSQL starts its own cluster (own dir, own socket).
"""

from __future__ import annotations

import glob
import itertools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

INSTALL_HINT = "PostgreSQL server binaries not found: sudo apt-get install -y postgresql"
SUPERUSER = "sv"  # the cluster's bootstrap superuser (trust auth, socket in a 0700 dir)
PORT = 5432  # only names the socket file: the cluster listens on no TCP port


def server_bindir() -> tuple[Path, int]:
    """Newest ``/usr/lib/postgresql/<major>/bin`` holding initdb, pg_ctl and postgres (fails otherwise)."""
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        bindir = Path(initdb).parent
        major = re.fullmatch(r"\d+", bindir.parent.name)
        if major and all(os.access(bindir / exe, os.X_OK) for exe in ("initdb", "pg_ctl", "postgres")):
            found.append((int(major.group()), bindir))
    if not found:
        pytest.fail(INSTALL_HINT, pytrace=False)
    major, bindir = max(found)
    return bindir, major


def _as_server_user() -> list[str]:
    """Command prefix that runs the server tools as a non-root user (empty when we are not root)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail(
            "running as root needs the 'postgres' system user to start PostgreSQL (it refuses root); "
            "it comes with Debian's package: sudo apt-get install -y postgresql",
            pytrace=False,
        )
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    return ["su", "-s", "/bin/sh", "-c", '"$0" "$@"', "--", "postgres"]  # no runuser: su runs argv through sh


class Cluster:
    """One private PostgreSQL cluster in a temp dir: data in ``data/``, socket and log beside it."""

    def __init__(self, bindir: Path, major: int) -> None:
        self.bindir, self.major = bindir, major
        self.prefix = _as_server_user()
        # Short path on purpose: a unix socket path must stay under ~100 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="sv-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
        if self.prefix:
            shutil.chown(self.root, "postgres", "postgres")
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.started = False

    def _run(self, *args: str | os.PathLike, timeout: float = 60) -> None:
        cmd = [*self.prefix, *map(str, args)]
        proc = subprocess.run(
            cmd, cwd=self.root, capture_output=True, text=True, timeout=timeout, env=_clean_env()
        )
        if proc.returncode != 0:
            pytest.fail(
                f"{Path(str(args[0])).name} failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                f"{proc.stdout}\n{proc.stderr}\n{self._log_tail()}",
                pytrace=False,
            )

    def _log_tail(self) -> str:
        try:
            return "server log:\n" + self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return "(no server log)"

    def start(self) -> None:
        locale = ["--locale=C.UTF-8"]
        if self.major >= 15:  # ICU provider exists from 15 on: collate like a real (non-C) cluster
            locale += ["--locale-provider=icu", "--icu-locale=en-US"]
        self._run(
            self.bindir / "initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
            *locale, "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.root}' -p {PORT} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.started = True  # from here on, teardown stops it even if the start times out half-way
        self._run(
            self.bindir / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60", "start"
        )

    def url(self, database: str) -> str:
        return sa.URL.create(
            "postgresql+psycopg",
            username=SUPERUSER,
            database=database,
            query={"host": str(self.root), "port": str(PORT)},
        ).render_as_string(hide_password=False)

    def destroy(self) -> None:
        """Stop the server (fast, then by its pid) and delete the whole directory."""
        try:
            if self.started and (self.data / "postmaster.pid").exists():
                pg_ctl = [*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data)]
                stop = [*pg_ctl, "-m", "fast", "-w", "-t", "30", "stop"]  # fmt: skip
                try:
                    done = subprocess.run(
                        stop, cwd=self.root, capture_output=True, timeout=60, env=_clean_env()
                    )
                    stopped = done.returncode == 0
                except (OSError, subprocess.TimeoutExpired):
                    stopped = False
                if not stopped:
                    self._kill_postmaster()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)  # our own postmaster; its backends exit with it
        except (OSError, ValueError, IndexError):
            pass


def _clean_env() -> dict[str, str]:
    """Environment for the server tools without PG* variables (PGDATA, PGPORT... must not leak in)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


_clones = itertools.count(1)


def clone(cluster: Cluster, template: str | None) -> str:
    """A fresh database on ``cluster`` (empty, or a copy of database ``template``); returns its SQLAlchemy URL.

    ``CREATE DATABASE ... TEMPLATE`` copies a whole demo store in a fraction of a second."""
    name = f"sv_test_{next(_clones)}"
    admin = sa.create_engine(cluster.url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    finally:
        admin.dispose()
    return cluster.url(name)
