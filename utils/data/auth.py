"""Operators, password hashes and login throttling (no streamlit; the throttle counts in the store).

Passwords are stored only as scrypt hashes (``hashlib.scrypt``, standard library):
``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``. Make one with ``python -m utils hash-password`` (asks for the password).
Operators come from Streamlit secrets (``[sv_operators.<username>]``, see .streamlit/secrets.toml.example) or
from a TOML file named by ``SV_OPERATORS_FILE`` (same layout; used by tests and offline installs).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
import time
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlalchemy is imported where it is used (signing in does not load it at import)
    from sqlalchemy.engine import Engine

_LOG = logging.getLogger("smartvillage.auth")
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
    seen: set[str] = set()
    for username, entry in config.items():
        if normalise_username(str(username)) in seen:  # "Admin" after "admin": one account, the first wins
            continue
        role = str(entry.get("role", ""))
        kab = entry.get("kab_code") or None
        if role not in ROLES or (role == "operator" and not kab):
            continue  # an operator without a kabupaten could upload for nobody: refuse the entry
        op = Operator(username=str(username), name=str(entry.get("name", username)), role=role,
                      kab_code=str(kab) if role == "operator" else None)
        out[str(username)] = Account(op, str(entry.get("password_hash", "")), str(entry.get("email", "")).lower())
        seen.add(normalise_username(str(username)))
    return out


def accounts_from_file(path: str | os.PathLike | None = None) -> dict[str, Account]:
    """Accounts from the TOML file ``path`` (default: ``SV_OPERATORS_FILE``); {} when there is none."""
    path = path or os.environ.get("SV_OPERATORS_FILE")
    if not path or not Path(path).is_file():
        return {}
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return accounts_from_config(data.get("sv_operators", {}))


def now() -> float:
    """Seconds since the epoch: the throttle's clock."""
    return time.time()


def normalise_username(name: str) -> str:
    """The one form of a username for lookups and the throttle: Unicode NFKC, spaces trimmed and collapsed,
    case folded (" Admin_Provinsi " and "admin_provinsi" are one account); at most 100 characters."""
    text = unicodedata.normalize("NFKC", name or "")
    return " ".join(text.split()).casefold()[:100]


class LoginThrottled(Exception):
    """Too many failed attempts from this client; ``seconds`` until the next try."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"too many failed logins; retry in {seconds:.0f} s")
        self.seconds = seconds


@dataclass
class Throttle:
    """Backoff of failed sign-ins that slows an attacker without locking the owner out.

    Counted in the store (table ``login_failures``), so a restart does not reset it and every app server
    sees the same counts. A *client* is one browser session. Three counters:

    - per account and client (``pair``): after ``free`` failures the client waits ``base`` seconds, doubling
      with each further failure up to ``cap``; other clients are not affected, so a stranger's failures
      never stop the owner's own sign-in;
    - per client (``client``): after ``client_free`` failures across any usernames (guessing names) the
      client waits the same way;
    - per account (``account``): once an account has ``alert`` failures from any clients, it is under
      attack: every client then gets one try on it before its own backoff starts (instead of ``free``),
      so opening new sessions buys an attacker one guess each, while the owner's first try still counts.

    Counters are forgotten ``window`` seconds after their last failure; a successful sign-in clears the
    client's counters and the account's. ``clock`` is injectable for tests (seconds since the epoch).
    """

    engine: Engine
    free: int = 3
    client_free: int = 10
    alert: int = 10
    base: float = 2.0
    cap: float = 300.0
    window: float = 900.0
    clock: Callable[[], float] | None = None  # None: ``auth.now`` (tests replace it to freeze time)

    def _now(self) -> float:
        return (self.clock or now)()

    @staticmethod
    def keys(username: str, client: str) -> dict[str, str]:
        user = normalise_username(username)
        client = str(client)[:100]
        return {"pair": f"pair:{user}|{client}", "client": f"client:{client}", "account": f"account:{user}"}

    def _counts(self, keys: dict[str, str]) -> dict[str, tuple[int, float]]:
        from sqlalchemy import select

        from utils.data.store import login_failures as lf

        horizon = self._now() - self.window
        with self.engine.connect() as conn:
            rows = conn.execute(select(lf.c.key, lf.c.failures, lf.c.last_at).where(
                lf.c.key.in_(list(keys.values())), lf.c.last_at >= horizon)).all()
        found = {k: (n, last) for k, n, last in rows}
        return {name: found.get(key, (0, 0.0)) for name, key in keys.items()}

    def _backoff(self, failures: int, free: int, last: float) -> float:
        if failures < free:
            return 0.0
        delay = min(self.cap, self.base * 2 ** min(failures - free, 20))
        return max(0.0, delay - (self._now() - last))

    def wait(self, username: str, client: str) -> float:
        """Seconds ``client`` must wait before its next try on ``username`` (0: try now)."""
        c = self._counts(self.keys(username, client))
        free = 1 if c["account"][0] >= self.alert else self.free
        (n_pair, last_pair), (n_client, last_client) = c["pair"], c["client"]
        return max(self._backoff(n_pair, free, last_pair), self._backoff(n_client, self.client_free, last_client))

    def failure(self, username: str, client: str) -> None:
        """Count a failed try on all three counters (one transaction; atomic increments, so servers that
        count at the same moment lose nothing)."""
        from sqlalchemy import case, delete, update
        from sqlalchemy.exc import IntegrityError, SQLAlchemyError

        from utils.data.store import login_failures as lf

        now = self._now()
        horizon = now - self.window
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    for key in self.keys(username, client).values():
                        done = conn.execute(update(lf).where(lf.c.key == key).values(
                            failures=case((lf.c.last_at < horizon, 1), else_=lf.c.failures + 1),
                            first_at=case((lf.c.last_at < horizon, now), else_=lf.c.first_at),
                            last_at=now)).rowcount
                        if not done:
                            conn.execute(lf.insert().values(key=key, failures=1, first_at=now, last_at=now))
                break
            except IntegrityError:  # another server inserted the same key first: count again on its row
                if attempt == 2:
                    raise
        try:  # forget old counts, in a transaction of its own (never holding up the count above)
            with self.engine.begin() as conn:
                conn.execute(delete(lf).where(lf.c.last_at < horizon))
        except SQLAlchemyError:  # best effort: the next failure tries again
            _LOG.warning("sign-in throttle: old counts not removed this time", exc_info=True)

    def success(self, username: str, client: str) -> None:
        """The owner is in: forget this client's failures and the account's."""
        from sqlalchemy import delete

        from utils.data.store import login_failures as lf

        keys = self.keys(username, client)
        with self.engine.begin() as conn:
            conn.execute(delete(lf).where(lf.c.key.in_([keys["pair"], keys["client"], keys["account"]])))

    def under_attack(self, username: str) -> bool:
        """True when the account has ``alert`` or more recent failures (for the server log)."""
        return self._counts({"account": f"account:{normalise_username(username)}"})["account"][0] >= self.alert


def authenticate(accounts: Mapping[str, Account], username: str, password: str, throttle: Throttle,
                 client: str) -> Operator | None:
    """The operator for valid credentials, None otherwise; raises LoginThrottled while ``client`` must wait.

    Usernames are compared in their normalised form. An unknown username costs the same hash as a known one
    and counts as a failure too, so neither timing nor the throttle tells which usernames exist.
    """
    wait = throttle.wait(username, client)
    if wait > 0:
        raise LoginThrottled(wait)
    key = normalise_username(username)
    account = next((a for name, a in accounts.items() if normalise_username(name) == key), None) if key else None
    stored = account.password_hash if account else hash_password("x", salt=b"0" * 16)
    ok = verify_password(password or "", stored) and account is not None
    if not ok:
        throttle.failure(username, client)
        if throttle.under_attack(username):
            _LOG.warning("sign-in: an account has %d or more failed sign-ins within %.0f s; each client now gets "
                         "one try before its backoff", throttle.alert, throttle.window)
        return None
    throttle.success(username, client)
    assert account is not None  # ok above holds only with an account
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
