"""One command entry point: ``python -m utils <command> [options]``; ``python -m utils <command> --help``.

Each command lives in the module that owns the work and is imported only when it runs, so a quick command
never pays for geopandas or streamlit. New batch and admin commands are added to ``COMMANDS``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

#: name -> (module, function taking argv and returning the exit status, one-line summary)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("utils.data.build", "main",
              "build the canonical data files (data/, geo/, static/geo/) from the upstream sources"),
    "migrate": ("utils.data.migrate", "main", "upgrade the programme store's schema to the current version"),
    "demo": ("utils.data.demo", "main", "fill the programme store with the seeded demo set (Data contoh)"),
    "assets": ("utils.views.assets", "main", "copy Leaflet into static/vendor/ so maps need no internet"),
    "hash-password": ("utils.data.auth", "main", "print an scrypt hash for an operator account (secrets.toml)"),
    "check-upload": ("utils.views.report_check", "main",
                     "check a kabupaten progress report as the upload page would (JSON with --json); stores nothing"),
    "check-boundaries": ("utils.intake.boundaries", "main",
                         "check report of a boundary file (codes, level, matches, warnings); nothing is stored"),
    "check-index": ("utils.intake.check_index", "main",
                    "check an Indeks Desa / IDM workbook without storing anything (--json for a report)"),
    "reports": ("utils.views.exports.pack", "main",
                "report pack of a period: province deck, one evaluation PDF and Excel per kabupaten, index.html"),
}


def usage() -> str:
    width = max(len(n) for n in COMMANDS)
    lines = [
        "usage: python -m utils <command> [options]",
        "",
        "Perintah / commands:",
        *(f"  {name.ljust(width)}  {summary}" for name, (_, _, summary) in COMMANDS.items()),
        "",
        "python -m utils <command> --help  shows the options of one command.",
    ]
    return "\n".join(lines)


def entry(name: str) -> Callable[[list[str]], int]:
    """The function behind one command."""
    module, func, _ = COMMANDS[name]
    return getattr(importlib.import_module(module), func)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"Perintah tidak dikenal / unknown command: {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    return int(entry(name)(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
