"""Source manifest, checksum verification, and the build's all-or-nothing behaviour."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from utils.data import build, paths, sources

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("SV_SOURCES_MIRROR") or ROOT.parent / "shared" / "sources")
ALTERED = sources.BY_KEY["crosswalk_kab"]


def _require_mirror() -> None:
    if not (MIRROR / "SHA256SUMS").is_file():
        pytest.fail("source mirror not available: set SV_SOURCES_MIRROR to the mirror folder (make does when ../shared/sources exists)")


@pytest.fixture()
def bad_mirror(tmp_path: Path) -> Path:
    """A copy of the mirror with one file altered by a single byte."""
    _require_mirror()
    dest = tmp_path / "mirror"
    shutil.copytree(MIRROR, dest)
    target = dest / ALTERED.relpath
    target.chmod(0o644)
    target.write_bytes(target.read_bytes() + b"\n")
    return dest


@pytest.fixture()
def previous_outputs(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of the canonical outputs in temporary data/geo dirs (as if from an earlier build)."""
    build.ensure_built()
    data_dir, geo_dir = tmp_path / "data", tmp_path / "geo"
    data_dir.mkdir()
    geo_dir.mkdir()
    for name in (*build.DATA_OUTPUTS, paths.BUILD_REPORT.name, paths.BUILD_OK.name):
        shutil.copy2(paths.DATA_DIR / name, data_dir / name)
    for name in build.GEO_OUTPUTS:
        shutil.copy2(paths.GEO_DIR / name, geo_dir / name)
    return data_dir, geo_dir


def _snapshot(*dirs: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d.parent)): p.read_bytes() for d in dirs for p in sorted(d.rglob("*")) if p.is_file()}


def test_manifest_matches_published_checksums() -> None:
    _require_mirror()
    published = {}
    for line in (MIRROR / "SHA256SUMS").read_text().splitlines():
        digest, path = line.split(maxsplit=1)
        published[path.strip()] = digest
    for s in sources.MANIFEST:
        assert published[str(s.relpath)] == s.sha256, s.key
    data_files = {p for p in published if not p.endswith(("LICENSE", "README.md"))}
    assert data_files <= {str(s.relpath) for s in sources.MANIFEST}
    assert len({s.key for s in sources.MANIFEST}) == len(sources.MANIFEST)


def test_urls_are_pinned_raw_github() -> None:
    s = sources.BY_KEY["wilayah"]
    assert s.url == (
        "https://raw.githubusercontent.com/cahyadsn/wilayah/b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7/db/wilayah.sql"
    )
    assert all(len(x.commit) == 40 and len(x.sha256) == 64 for x in sources.MANIFEST)


def test_fetch_from_mirror_verifies() -> None:
    _require_mirror()
    path = sources.fetch(ALTERED, mirror=MIRROR)
    assert path == MIRROR / ALTERED.relpath
    assert sources.sha256_file(path) == ALTERED.sha256


def test_checksum_mismatch_names_file_and_both_checksums(bad_mirror: Path) -> None:
    actual = sources.sha256_file(bad_mirror / ALTERED.relpath)
    with pytest.raises(sources.SourceError) as err:
        sources.fetch(ALTERED, mirror=bad_mirror)
    msg = str(err.value)
    assert ALTERED.path in msg and ALTERED.sha256 in msg and actual in msg
    assert "Checksum tidak cocok" in msg


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(sources.SourceError, match="csv/kabkota.csv"):
        sources.fetch(ALTERED, mirror=tmp_path)


def test_fake_entry_mismatch(tmp_path: Path) -> None:
    fake = sources.Source("fake", "o", "r", "0" * 40, "x/data.csv", "a" * 64)
    (tmp_path / fake.relpath).parent.mkdir(parents=True)
    (tmp_path / fake.relpath).write_text("hello")
    with pytest.raises(sources.SourceError, match="a{64}"):
        sources.fetch(fake, mirror=tmp_path)


def test_download_into_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a mirror the URL is downloaded (file:// here: no network), verified and cached."""
    _require_mirror()
    monkeypatch.delenv(sources.MIRROR_ENV, raising=False)
    monkeypatch.setattr(sources, "RAW_URL", f"file://{MIRROR}/github/{{owner}}/{{repo}}/{{commit}}/{{path}}")
    cache = tmp_path / "cache"
    path = sources.fetch(ALTERED, mirror=None, cache_dir=cache)
    assert path == cache / ALTERED.relpath and sources.sha256_file(path) == ALTERED.sha256
    # A corrupted cache entry is replaced by a fresh download.
    path.write_text("corrupt")
    assert sources.sha256_file(sources.fetch(ALTERED, mirror=None, cache_dir=cache)) == ALTERED.sha256
    # A download whose bytes differ is refused and leaves nothing in the cache.
    wrong = sources.Source("w", ALTERED.owner, ALTERED.repo, ALTERED.commit, ALTERED.path, "b" * 64)
    with pytest.raises(sources.SourceError, match="b{64}"):
        sources.fetch(wrong, mirror=None, cache_dir=tmp_path / "cache2")
    assert not any(p.is_file() for p in (tmp_path / "cache2").rglob("*"))


def test_failed_fetch_leaves_previous_outputs(bad_mirror: Path, previous_outputs: tuple[Path, Path]) -> None:
    data_dir, geo_dir = previous_outputs
    before = _snapshot(data_dir, geo_dir)
    with pytest.raises(sources.SourceError):
        build.build(data_dir=data_dir, geo_dir=geo_dir, mirror=bad_mirror)
    assert _snapshot(data_dir, geo_dir) == before


def test_failure_while_writing_leaves_previous_outputs(
    previous_outputs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last output fails to write: nothing already staged may reach the real directories."""
    _require_mirror()
    data_dir, geo_dir = previous_outputs
    before = _snapshot(data_dir, geo_dir)
    real = build._parquet

    def failing(df: pd.DataFrame) -> Callable[[Path], None]:
        write = real(df)

        def wrapped(p: Path) -> None:
            if p.name == paths.boundary_path("desa", display=True).name:
                raise OSError("disk full (simulated)")
            write(p)

        return wrapped

    monkeypatch.setattr(build, "_parquet", failing)
    with pytest.raises(OSError, match="simulated"):
        build.build(data_dir=data_dir, geo_dir=geo_dir, mirror=MIRROR)
    assert _snapshot(data_dir, geo_dir) == before
    assert not [p for p in (*data_dir.iterdir(), *geo_dir.iterdir()) if p.name.startswith(".build-tmp")]


def _run_cli(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_extra}
    return subprocess.run(
        [sys.executable, "-m", "utils", "build", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_cli_source_error_exits_2_without_traceback(bad_mirror: Path, tmp_path: Path) -> None:
    res = _run_cli({"SV_SOURCES_MIRROR": str(bad_mirror), "SV_DATA_DIR": str(tmp_path / "d"),
                    "SV_GEO_DIR": str(tmp_path / "g")}, "--force")
    assert res.returncode == 2
    assert "Checksum tidak cocok" in res.stderr and ALTERED.path in res.stderr
    assert "Traceback" not in res.stderr


def test_cli_skips_when_current(previous_outputs: tuple[Path, Path]) -> None:
    data_dir, geo_dir = previous_outputs
    before = _snapshot(data_dir, geo_dir)
    res = _run_cli({"SV_DATA_DIR": str(data_dir), "SV_GEO_DIR": str(geo_dir), "SV_SOURCES_MIRROR": "/nonexistent"})
    assert res.returncode == 0, res.stderr
    assert "--force" in res.stdout
    assert _snapshot(data_dir, geo_dir) == before
