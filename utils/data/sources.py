"""Manifest of the upstream files the data build reads, and how to get them verified.

Every file is pinned by commit and SHA-256. ``fetch`` reads a local mirror when ``SV_SOURCES_MIRROR``
names one (layout ``github/<owner>/<repo>/<commit>/<path>``, the tail of the raw URL), otherwise it
downloads the public URL into ``data/.cache/``. Either way the bytes are checked before use, so a
build never silently runs on a changed upstream file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from utils.data import paths

MIRROR_ENV = "SV_SOURCES_MIRROR"
RAW_URL = "https://raw.githubusercontent.com/{owner}/{repo}/{commit}/{path}"


class SourceError(RuntimeError):
    """An upstream file is missing, unreachable or does not match its pinned checksum."""


@dataclass(frozen=True)
class Source:
    """One pinned upstream file."""

    key: str
    owner: str
    repo: str
    commit: str
    path: str
    sha256: str
    licence: str = ""

    @property
    def url(self) -> str:
        """Public raw URL of the file at its pinned commit."""
        return RAW_URL.format(owner=self.owner, repo=self.repo, commit=self.commit, path=self.path)

    @property
    def relpath(self) -> Path:
        """Location inside a mirror or the cache: ``github/<owner>/<repo>/<commit>/<path>``."""
        return Path("github", self.owner, self.repo, self.commit, self.path)


_WILAYAH = ("cahyadsn", "wilayah", "b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7")
_BOUNDS = ("cahyadsn", "wilayah_boundaries", "3c5a7960f4d227a38489094d84252bdbb3f978a5")
_IDM = ("geraldolst", "tubesdatnal-k01_3", "cab263e2a80118fcb7b4f5aa14ca4ee5b0edcde7")
_IDM_SATUDATA = ("kristonova", "Visualisasi-Indeks-Desa-Membangun--IDM--2024", "c2aa4b0bd0839635390132b3b3bed52e57a4eb0f")
_INDEKS_DESA = ("DatinPDP", "integrasi_data_skor_rekomendasi_desa", "75deba2b0a1936fd7e5740bea6f166b6410a4ba7")
_XWALK = (
    "zakiego",
    "Kode-Wilayah-Administrasi-Indonesia-Relasi-BPS-Kemendagri",
    "8d5e83e7ffdb17e114ae2eeeb2cbfc1859f1813b",
)

# Village boundary files, one per kabupaten/kota (Kemendagri code -> sha256).
_KEL_SHA = {
    "18.01": "74d8c76849887175f6f333a01f38d356769925dda179bd7d967348c1567c5473",
    "18.02": "bc373bfdc00287ba54fca0e5752067b57a8141d7fd4df71cd8806833b70b495b",
    "18.03": "7b7e5f5d7c0f0af7bb5c57d870d2a5aec39b50534dfba8882bbf17b1a9a9a666",
    "18.04": "4a4ba99b10f09b5f551b71174e47b8560710e4489346fda8ed1a888751ff93b5",
    "18.05": "76c440f56c8ea00e1e02a1129f4c67d2bad93d0a8fc172b3527d30eaa872bb38",
    "18.06": "b8263a79dd9d72b8aedd73554bcd2b9d76cea8deb5b60d3a04ae0897faddc269",
    "18.07": "49c38ad260bebf1b55b0f7d2676a6a47d4c72963544af487692849ca7053f502",
    "18.08": "12ed0863ee01955a693ad721e2f0abdb7e33896fe2918a154839047556efb7d6",
    "18.09": "45d1e4150f8c579ec4eb39d711ed93db3aaac014addf248ef4281fcf39b5be42",
    "18.10": "c60c9a0cc68a1e9dda8dc5f9654bbd7661e9729b25630d23e9d438bec7db9b3f",
    "18.11": "7fd3f48a2e3616edab7de3d178587962d842bfb8d9507c855bb198e02cdc5b6e",
    "18.12": "cf0c47dbf1034c08403a87e1255ef02ddec7e9867c6085e874ecc1b76eb5bcfd",
    "18.13": "ac9dde2b7d28a62fd7c61b21ba6faf10a314c4d74804601fb01b16f96bbd85e0",
    "18.71": "381f7ce9387a47174c694a28bc76d63e17832f7c656518f7ed360a3b9cf989b8",
    "18.72": "1f274133b04960c5e3eaed3542bcaa3128c5d05f1b2ee513b44087e61db0ea00",
}

MANIFEST: tuple[Source, ...] = (
    Source("wilayah_licence", *_WILAYAH, "LICENSE",
           "bd2e18e40a01567ce518c9b866041ad212838dd51df3596e0b97425b52e3fdcb", "MIT"),
    Source("wilayah", *_WILAYAH, "db/wilayah.sql",
           "c4c3396d9380d4edee072af1d9dff83573b574d7cd00a6562cf82e200e954031", "MIT"),
    Source("wilayah_luas", *_WILAYAH, "db/wilayah_luas.sql",
           "3ffd506eaabaa2bfa101fb24c5e40582cf9548be38adba53a561d0ed7478c043", "MIT"),
    Source("wilayah_penduduk", *_WILAYAH, "db/wilayah_penduduk.sql",
           "b0b6b9dc70fa6a4fdb9e05bf00ec549ed8f6cf0bb82f6407281dfac674b10447", "MIT"),
    Source("boundaries_licence", *_BOUNDS, "LICENSE",
           "4f1ca94ef4795a12d24c82b92761e80e358d03f37c4024ea8a2b89a787de5b89", "MIT"),
    Source("boundaries_kab", *_BOUNDS, "db/kab/wilayah_boundaries_kab_18.sql",
           "e6762284ccc69069899633784adcce9c1ca6bbcf8d75e5e64d9588dbd982dc6e", "MIT"),
    Source("boundaries_kec", *_BOUNDS, "db/kec/wilayah_boundaries_kec_18.sql",
           "3bf0b7c0f6bdd623bd782be9b7cabbf62d9b6a15702b4b295f4456a96033833d", "MIT"),
    *(
        Source(f"boundaries_desa_{kab}", *_BOUNDS, f"db/kel/18/wilayah_boundaries_kel_{kab}.sql", sha, "MIT")
        for kab, sha in _KEL_SHA.items()
    ),
    Source("idm_2024", *_IDM, "data/raw/rekomendasi_provinsi/REKOMENDASI_IDM_PROVINSI_18_2024.xlsx",
           "8835d2db184969f241c47d974d79a4cef945375a8d149affe7c22ebec3ac7ef1",
           "Kemendesa PDTT publication (re-hosted, no licence stated)"),
    # IDM 2024 for all 2,446 desa (Satu Data Indonesia edition, compact JSON; repository README: MIT).
    Source("idm_2024_satudata", *_IDM_SATUDATA, "data/idm/prov/18.json",
           "399eff7550113ff5782565e4d0535064e5696915473559e13870249aa4f61c01", "MIT (repository README)"),
    # Indeks Desa 2025 (IDM's successor): item structure, workbook column contract, recommended actions.
    Source("indeks_desa_structure", *_INDEKS_DESA, ".config/table_structure.csv",
           "1761e47d2bb72ef53059e0eb3d5e1852c1f3618bb51781b113123c1e62a83581", "no licence stated"),
    Source("indeks_desa_headers", *_INDEKS_DESA, ".config/headers.json",
           "dac3bee336db37430376980a0b4f9c3de9d7520b872e0dae4f8bb9f447e3cfe8", "no licence stated"),
    Source("indeks_desa_rekomendasi", *_INDEKS_DESA, ".config/rekomendasi.json",
           "c737e9fffcd2d38802546ead4b56e6e7ec71cafbb8a7d2953ec469ad95c616c5", "no licence stated"),
    Source("crosswalk_kab", *_XWALK, "csv/kabkota.csv",
           "e174585339042675a5d255889cf6d37dc1d1ef001fb47d90f0af7bd597b78fe5", "no licence stated"),
    Source("crosswalk_kec", *_XWALK, "csv/kecamatan.csv",
           "e09a9efc2d294179ecf5e2fb750888ccf58b70fcf18a6fe021024948cdcb7c92", "no licence stated"),
)

BY_KEY: dict[str, Source] = {s.key: s for s in MANIFEST}


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _mismatch(entry: Source, where: Path | str, actual: str) -> SourceError:
    return SourceError(
        f"Checksum tidak cocok / checksum mismatch: {entry.path}\n"
        f"  berkas / file: {where}\n"
        f"  diharapkan / expected: {entry.sha256}\n"
        f"  didapat / actual:      {actual}"
    )


def _verify(entry: Source, path: Path) -> Path:
    actual = sha256_file(path)
    if actual != entry.sha256:
        raise _mismatch(entry, path, actual)
    return path


def mirror_dir() -> Path | None:
    """The mirror directory from ``SV_SOURCES_MIRROR``, or None to download."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    return Path(value) if value else None


def fetch(entry: Source, mirror: Path | None = None, cache_dir: Path | None = None) -> Path:
    """Return a local path to ``entry``'s verified bytes.

    ``mirror`` defaults to ``$SV_SOURCES_MIRROR`` (None means: use the environment); without one
    the file is downloaded into
    ``cache_dir`` (default ``data/.cache``) and reused while its checksum still matches.
    Raises ``SourceError`` for a missing file, a failed download or a checksum mismatch.
    """
    mirror = mirror if mirror is not None else mirror_dir()
    if mirror is not None:
        path = Path(mirror) / entry.relpath
        if not path.is_file():
            raise SourceError(
                f"Berkas sumber tidak ada / source file missing: {entry.path}\n"
                f"  dicari di / looked in: {path}\n"
                f"  diharapkan / expected sha256: {entry.sha256}\n"
                f"  didapat / actual: (tidak ada berkas / no file)"
            )
        return _verify(entry, path)

    cache = Path(cache_dir) if cache_dir is not None else paths.SOURCE_CACHE
    target = cache / entry.relpath
    if target.is_file() and sha256_file(target) == entry.sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Download beside the target and rename only after the checksum matched, so the cache never
    # holds a partial or wrong file.
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(entry.url, timeout=60) as resp:
            shutil.copyfileobj(resp, out)
        actual = sha256_file(tmp)
        if actual != entry.sha256:
            raise _mismatch(entry, entry.url, actual)
        os.replace(tmp, target)
    except OSError as exc:  # URLError is an OSError
        raise SourceError(
            f"Gagal mengunduh / download failed: {entry.path}\n"
            f"  URL: {entry.url}\n  {exc}\n"
            f"  Tanpa internet, set {MIRROR_ENV} ke folder mirror / offline, point {MIRROR_ENV} at a mirror."
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target


def fetch_all(
    manifest: tuple[Source, ...] = MANIFEST, mirror: Path | None = None, cache_dir: Path | None = None
) -> dict[str, Path]:
    """Fetch and verify every entry; the first failure raises ``SourceError``."""
    return {entry.key: fetch(entry, mirror=mirror, cache_dir=cache_dir) for entry in manifest}
