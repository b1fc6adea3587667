"""How many uploads are checked at once: one per user, and a few per server process (no streamlit).

Validating a file is the heaviest thing the app does (seconds of CPU for a large file). Two bounds keep
it from slowing the pages everybody reads:

- one validation at a time per user: a second tab of the same operator is told to wait for the first;
- at most ``server_slots()`` validations at once in this process (cores - 1, at least 1), so at least
  one core stays free for the read pages; a further upload waits up to ``WAIT_SECONDS`` for a slot, then
  is told the server is busy.

A semaphore is process state: it bounds the work of this server process, it is not shared state (each app
server bounds its own work; nothing here needs to be the same across servers).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: How long an upload waits for a free slot before the user is told to try again.
WAIT_SECONDS = 30.0


def server_slots() -> int:
    """Validations run at once by this process: the cores minus one for the read pages, at least one."""
    return max(1, (os.cpu_count() or 2) - 1)


class Busy(Exception):
    """No slot: ``key`` is the message (utils/i18n/texts/data.py)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Slots:
    """A per-process bound on concurrent validations with at most one per user (thread-safe)."""

    def __init__(self, size: int | None = None) -> None:
        self.size = size or server_slots()
        self._server = threading.BoundedSemaphore(self.size)
        self._users: set[str] = set()
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, user: str, wait: float = WAIT_SECONDS) -> Iterator[None]:
        """Run the block in a slot for ``user``; raises Busy when the user already validates a file, or when
        no server slot frees within ``wait`` seconds."""
        with self._lock:
            if user in self._users:
                raise Busy("ing_busy_user")
            self._users.add(user)
        try:
            if not self._server.acquire(timeout=wait):
                raise Busy("ing_busy_server")
            try:
                yield
            finally:
                self._server.release()
        finally:
            with self._lock:
                self._users.discard(user)

    @property
    def running(self) -> int:
        """Users whose validation runs or waits for a slot now."""
        with self._lock:
            return len(self._users)


#: The process's slots, shared by every session of this server.
SLOTS = Slots()
