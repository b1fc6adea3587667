"""Copy the web assets the app serves itself (Leaflet) from installed packages into static/.

Leaflet comes from the pinned PyPI wheel ``django-js-lib-leaflet`` (Leaflet 1.9.4 dist files), so
nothing is copied into the repository by hand and the map needs no CDN. Run by ``make`` at set-up.
"""

from __future__ import annotations

import argparse
import shutil
from importlib import resources
from pathlib import Path

from utils.data.paths import STATIC_DIR

LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"
#: URLs under Streamlit's static serving (server.enableStaticServing).
LEAFLET_JS_URL = "/app/static/vendor/leaflet/leaflet.js"
LEAFLET_CSS_URL = "/app/static/vendor/leaflet/leaflet.css"


def install_leaflet(target: Path = LEAFLET_DIR) -> Path:
    """Copy leaflet.js, leaflet.css and its images into ``target``; returns the target."""
    source = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copyfile(str(source / name), target / name)
    images = target / "images"
    images.mkdir(exist_ok=True)
    for item in (source / "images").iterdir():
        shutil.copyfile(str(item), images / item.name)
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m utils assets``: copy Leaflet into static/vendor/leaflet/."""
    ap = argparse.ArgumentParser(prog="python -m utils assets", description=__doc__.splitlines()[0])
    ap.parse_args(argv)
    print(f"Leaflet disalin ke / copied to {install_leaflet()}")
    return 0
