"""Plain helpers shared by every test layer: the test operators and "is the store unchanged" checks.

Import them by name (``from tests.helpers import ADMIN, content, ...``). The fixtures that use them
(``tmp_store``, ``operators_file``, ``regions`` ...) live in tests/conftest.py and need no import. The
operators' credentials are written to a file under the test's tmp dir (never into the repository) by the
``operators_file`` fixture.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from utils.data import auth, store

PASSWORDS = {"admin": "rahasia-admin-1", "op_tgm": "rahasia-tanggamus", "op_lsel": "rahasia-lamsel"}
ACCOUNTS = {
    "admin": {"name": "Admin Provinsi", "role": "admin"},
    "op_tgm": {"name": "Operator Tanggamus", "role": "operator", "kab_code": "18.06"},
    "op_lsel": {"name": "Operator Lampung Selatan", "role": "operator", "kab_code": "18.01"},
}
ADMIN = auth.Operator("admin", "Admin Provinsi", "admin", None)
OP_TGM = auth.Operator("op_tgm", "Operator Tanggamus", "operator", "18.06")


def write_operators_file(path: Path) -> Path:
    """A TOML operators file with hashed passwords (the layout of .streamlit/secrets.toml.example)."""
    lines = []
    for user, entry in ACCOUNTS.items():
        lines.append(f"[sv_operators.{user}]")
        lines += [f'{k} = "{v}"' for k, v in entry.items()]
        lines.append(f'password_hash = "{auth.hash_password(PASSWORDS[user])}"')
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def content(engine) -> dict[str, pd.DataFrame]:
    """Every data table and the meta keys but the generation counter, read with plain SQL in a fixed order:
    what "the store is unchanged" compares."""
    import sqlalchemy as sa

    frames = {}
    with engine.connect() as conn:
        for name in store.DATA_TABLES:
            cols = ", ".join(c.name for c in store.TABLES[name].columns)
            frames[name] = pd.read_sql(sa.text(f"SELECT {cols} FROM {name} ORDER BY {cols}"), conn)
        frames["meta"] = pd.read_sql(sa.text("SELECT key, value FROM meta WHERE key <> :g ORDER BY key"), conn,
                                     params={"g": store.GENERATION_KEY})
    return frames


def assert_same(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    assert before.keys() == after.keys()
    for name in before:
        pd.testing.assert_frame_equal(before[name].reset_index(drop=True), after[name].reset_index(drop=True),
                                      obj=name)


def raw_count(engine, table: str, where: str = "") -> int:
    """Rows counted with plain SQL (independent of utils.data.store)."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table} {where}")).scalar())


def served_files() -> dict[str, str]:
    """SHA-256 of every file the app serves as boundaries: the map's static GeoJSON and manifest, and the
    GeoParquet layers ``load_boundaries`` reads (by level and variant, wherever they are)."""
    import hashlib

    from utils.data import geo_static, served
    from utils.domain.codes import BOUNDARY_LEVELS

    static = geo_static.static_dir()
    out = {f"static/{p.relative_to(static)}": hashlib.sha256(p.read_bytes()).hexdigest()
           for p in sorted(static.rglob("*")) if p.is_file()}
    for level in BOUNDARY_LEVELS:
        for display in (False, True):
            out[f"layer/{level}/{display}"] = hashlib.sha256(served.layer_path(level, display).read_bytes()).hexdigest()
    return out


def dated_frame(rows: list[tuple], columns: list[str], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    """A store table written by hand: ``dates`` columns parsed to the store's day type."""
    df = pd.DataFrame(rows, columns=columns)
    for col in dates:
        df[col] = pd.to_datetime(df[col]).astype("datetime64[us]")
    return df


def two_kab_regions(villages: list[tuple[str, str]]) -> pd.DataFrame:
    """A region list of two kabupaten (18.01, 18.02) with one kecamatan each and ``villages`` (code, desa or
    kelurahan) placed by their codes."""
    return pd.DataFrame(
        [("18", "provinsi", None, None, None, None), ("18.01", "kabupaten", "18", "18.01", None, None),
         ("18.01.01", "kecamatan", "18.01", "18.01", "18.01.01", None),
         ("18.02", "kabupaten", "18", "18.02", None, None),
         ("18.02.01", "kecamatan", "18.02", "18.02", "18.02.01", None)]
        + [(c, "desa", c[:8], c[:5], c[:8], kind) for c, kind in villages],
        columns=["code", "level", "parent", "kab_code", "kec_code", "village_type"])
