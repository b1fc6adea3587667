"""Operators, password hashes and login throttling (pure: no streamlit).

Passwords are stored only as scrypt hashes (``hashlib.scrypt``, standard library):
``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``. Make one with ``python -m utils hash-password`` (asks for the password).
Operators come from Streamlit secrets (``[sv_operators.<username>]``, see .streamlit/secrets.toml.example) or
from a TOML file named by ``SV_OPERATORS_FILE`` (same layout; used by tests and offline installs).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
import tomllib
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("admin", "operator")  # admin: provincial administrator; operator: one kabupaten's operator
_N, _R, _P = 2**14, 8, 1  # scrypt cost: ~50 ms and 16 MiB per check


@dataclass(frozen=True)
class Operator:
    """A logged-in person. ``kab_code`` is the kabupaten an operator uploads for (None for admins)."""

    username: str
    name: str
    role: str  # "admin" (provincial) | "operator" (kabupaten)
    kab_code: str | None


@dataclass(frozen=True)
class Account:
    """An operator with the stored hash (and the e-mail address an OIDC login maps to)."""

    operator: Operator
    password_hash: str = ""
    email: str = ""


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A new scrypt hash of ``password`` (random salt)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 2**20)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; False for any malformed hash (never raises)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=64 * 2**20, dklen=len(want))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def accounts_from_config(config: Mapping[str, Mapping[str, object]]) -> dict[str, Account]:
    """Accounts from ``{username: {name, role, kab_code, password_hash, email}}``; bad entries are skipped."""
    out: dict[str, Account] = {}
    for username, entry in config.items():
        role = str(entry.get("role", ""))
        kab = entry.get("kab_code") or None
        if role not in ROLES or (role == "operator" and not kab):
            continue  # an operator without a kabupaten could upload for nobody: refuse the entry
        op = Operator(username=str(username), name=str(entry.get("name", username)), role=role,
                      kab_code=str(kab) if role == "operator" else None)
        out[str(username)] = Account(op, str(entry.get("password_hash", "")), str(entry.get("email", "")).lower())
    return out


def accounts_from_file(path: str | os.PathLike | None = None) -> dict[str, Account]:
    """Accounts from the TOML file ``path`` (default: ``SV_OPERATORS_FILE``); {} when there is none."""
    path = path or os.environ.get("SV_OPERATORS_FILE")
    if not path or not Path(path).is_file():
        return {}
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return accounts_from_config(data.get("sv_operators", {}))


@dataclass
class RateLimiter:
    """At most ``max_failures`` failed logins per username within ``window`` seconds.

    Thread-safe (one instance is shared by all sessions of the server). ``clock`` is injectable for tests.
    """

    max_failures: int = 5
    window: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str) -> deque:
        q = self._failures.setdefault(key.lower(), deque())
        now = self.clock()
        while q and now - q[0] >= self.window:
            q.popleft()
        return q

    def blocked_for(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 when allowed)."""
        with self._lock:
            q = self._recent(key)
            if len(q) < self.max_failures:
                return 0.0
            return max(0.0, self.window - (self.clock() - q[0]))

    def failure(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self.clock())

    def success(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key.lower(), None)


class LoginThrottled(Exception):
    """Too many failed attempts; ``seconds`` until the next try."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"too many failed logins; retry in {seconds:.0f} s")
        self.seconds = seconds


def authenticate(accounts: Mapping[str, Account], username: str, password: str,
                 limiter: RateLimiter) -> Operator | None:
    """The operator for valid credentials, None otherwise; raises LoginThrottled when rate-limited.

    An unknown username costs the same hash as a known one and counts as a failure too, so neither
    timing nor the limiter tells which usernames exist.
    """
    username = (username or "").strip()
    wait = limiter.blocked_for(username)
    if wait > 0:
        raise LoginThrottled(wait)
    account = accounts.get(username)
    stored = account.password_hash if account else hash_password("x", salt=b"0" * 16)
    ok = verify_password(password or "", stored) and account is not None
    if not ok:
        limiter.failure(username)
        return None
    limiter.success(username)
    return account.operator


def operator_for_email(accounts: Mapping[str, Account], email: str) -> Operator | None:
    """The operator whose configured e-mail matches an OIDC login (case-insensitive)."""
    email = (email or "").strip().lower()
    for account in accounts.values():
        if email and account.email == email:
            return account.operator
    return None


def may_upload_for(op: Operator, kab_code: str | None) -> bool:
    """Operators upload for their own kabupaten only; admins for any kabupaten or the whole province."""
    if op.role == "admin":
        return True
    return op.role == "operator" and kab_code is not None and kab_code == op.kab_code


def main(argv: list[str] | None = None) -> int:
    """``python -m utils hash-password``: print the hash of a password typed at the prompt (or piped in)."""
    import argparse
    import getpass
    import sys

    ap = argparse.ArgumentParser(
        prog="python -m utils hash-password",
        description="Print an scrypt hash for .streamlit/secrets.toml; the password is asked for, never an argument.",
    )
    ap.parse_args(argv)
    password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if not password:
        print("Kata sandi kosong / empty password", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0
