"""Shared pieces of the fuzz tests: byte- and zip-level mutations, the "nothing written" snapshot, budgets.

Hypothesis runs derandomised (the same cases on every run, so CI is reproducible) and without its example
database (nothing is written into the checkout). The example counts keep all three fuzz files within about
two minutes on the 2-core CI machine.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from utils.data import paths
from utils.i18n import _STRINGS

FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
#: Cases run per parser, counted by the tests themselves (printed at the end of each file's run).
RUN: dict[str, int] = {}


def written_state() -> dict[str, str]:
    """Content hashes of the programme store and every file under data/imports: what "unchanged" compares."""
    files = [paths.DEFAULT_DB, *sorted(p for p in paths.IMPORTS_DIR.rglob("*") if p.is_file())] \
        if paths.IMPORTS_DIR.is_dir() else [paths.DEFAULT_DB]
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def known_message(key: str) -> bool:
    return key in _STRINGS


@st.composite
def byte_mutation(draw, data: bytes) -> bytes:
    """Truncate, flip bytes, splice random bytes in, or leave alone (then another layer mutates)."""
    how = draw(st.sampled_from(["truncate", "flip", "splice", "none"]))
    if how == "truncate":
        return data[:draw(st.integers(0, len(data)))]
    if how == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 16))):
            i = draw(st.integers(0, len(out) - 1))
            out[i] = draw(st.integers(0, 255))
        return bytes(out)
    if how == "splice":
        i = draw(st.integers(0, len(data)))
        return data[:i] + draw(st.binary(min_size=1, max_size=64)) + data[i:]
    return data


def zip_entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def make_zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries:  # a fixed timestamp: the same entries always give the same bytes
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 12, 17, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


@st.composite
def zip_mutation(draw, data: bytes) -> bytes:
    """Mutate a zip (xlsx, zipped shapefile) by its entries: drop one, garble one, rename one, add one."""
    entries = zip_entries(data)
    how = draw(st.sampled_from(["drop", "garble", "truncate", "rename", "add", "traversal"]))
    i = draw(st.integers(0, len(entries) - 1))
    name, content = entries[i]
    if how == "drop":
        del entries[i]
    elif how == "garble":
        entries[i] = (name, draw(st.binary(max_size=256)))
    elif how == "truncate":
        entries[i] = (name, content[:draw(st.integers(0, len(content)))])
    elif how == "rename":
        entries[i] = (draw(st.sampled_from(["x.xml", "data.shp", "Data.SHP", "dir/" + name, name.upper()])), content)
    elif how == "add":
        entries.append((draw(st.sampled_from(["extra.shp", "second.shp", "__MACOSX/._a", "a.prj", "x/y.dbf"])),
                        draw(st.binary(max_size=64))))
    else:
        entries.append((draw(st.sampled_from(["../evil.txt", "/etc/evil", "C:/evil.shp", "a/../../b.prj"])), b"x"))
    return make_zip(entries)
