"""The one cache idiom of the page glue: a result computed once per data version and arguments.

``@versioned(...)`` caches a function in the server process (``st.cache_resource``: every session shares the
one object, so never mutate it; ``data=True``: ``st.cache_data``, a copy per call, for bytes) under
``canonical_version()`` (new build, store write or import → computed again) plus its arguments. Callers call
the function with its own arguments; the version is added by the decorator, read once per call. As with
Streamlit's caches, an argument named with a leading underscore (a Dataset, a snapshot frame) is not part of
the key: it must follow from the other arguments and the version.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import streamlit as st

from utils.data.dataset import canonical_version

P = ParamSpec("P")
R = TypeVar("R")


def versioned(*, max_entries: int | None = None, show_spinner: bool | str = False,
              data: bool = False) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache the decorated function under the current data version and its arguments (see the module)."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        def keyed(version: tuple[float, ...], /, *args: Any, **kwargs: Any) -> R:
            return fn(*args, **kwargs)

        # Streamlit names a cache by the function's module, qualified name and source (followed through
        # __wrapped__ to ``fn``), and reads the argument names (leading "_": not hashed) from its signature.
        functools.update_wrapper(keyed, fn)
        sig = inspect.signature(fn)
        version = inspect.Parameter("version", inspect.Parameter.POSITIONAL_ONLY)
        keyed.__dict__["__signature__"] = sig.replace(parameters=[version, *sig.parameters.values()])
        cached = (st.cache_data if data else st.cache_resource)(show_spinner=show_spinner, max_entries=max_entries)(keyed)

        @functools.wraps(fn)
        def current(*args: P.args, **kwargs: P.kwargs) -> R:
            return cached(canonical_version(), *args, **kwargs)

        return current

    return decorate
