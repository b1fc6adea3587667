"""Keep the server's memory flat: cap glibc's malloc arenas for a process that runs every rerun in a new thread.

Streamlit runs each script run in a thread of its own. glibc gives a thread that allocates its own malloc arena,
up to 8 per CPU core, and an arena keeps the high-water mark of what its threads allocated (it only gives back
the top of its heap). On a machine with many cores, sessions coming and going therefore ratchet the resident
size up although nothing is kept: the same 240-rerun walk grew 120→240 by +42.6 MiB with 64 arenas, +14 MiB
with the 2-core default (16) and +29.5 MiB with 2 (cache filling included; docs/performance.md). Two arenas bound that (the usual advice for threaded Python servers; the
deploy files also set ``MALLOC_ARENA_MAX=2`` so that the cap holds from the first allocation).

``cap_arenas`` applies it from inside the process (``mallopt``), for servers started without the variable
(``streamlit run app.py`` by hand, the tests' servers): arenas made before the call stay, new threads share the
capped set. It does nothing off glibc, or when ``MALLOC_ARENA_MAX`` is set (the operator chose).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os

#: mallopt's parameter number for the arena cap (glibc malloc.h: ``#define M_ARENA_MAX -8``).
M_ARENA_MAX = -8
ARENAS = 2


@functools.cache
def cap_arenas(arenas: int = ARENAS) -> bool:
    """Cap this process's malloc arenas once; True when the cap is in force (set here or by the environment)."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return True
    try:
        mallopt = getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), "mallopt", None)
    except OSError:  # no C library to load (not Linux/glibc): nothing to tune
        return False
    return bool(mallopt is not None and mallopt(M_ARENA_MAX, arenas) == 1)
