"""Secrets never in the repository: every file git tracks or would add (tracked plus untracked, not ignored) is
scanned for private keys, tokens and passwords in configuration files; the real secrets file is ignored."""

from __future__ import annotations

import re
import subprocess

from utils.data import paths

PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY"),
    "AWS key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "JWT": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
    "URL with password": re.compile(r"\b[a-z][a-z0-9+]*://[^/\s:@'\"]+:(?P<value>[^@\s/'\"{}<]{3,})@"),
    "scrypt hash": re.compile(r"scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]{8,}\$[A-Za-z0-9+/=]{16,}"),
}
#: In TOML/ENV/INI files: a password, secret or token given a literal value (placeholders in <> are fine).
CONFIG_SECRET = re.compile(r"""(?im)^\s*[\w.-]*(password|passwd|secret|token|api_key|apikey)[\w.-]*\s*[=:]\s*"""
                           r"""["']?(?!<|\$\{|["']?\s*$)([^"'\s#]{4,})""")
#: Obvious placeholders in documentation ("postgresql://user:secret@host", "<salt>").
PLACEHOLDERS = {"secret", "password", "pass", "changeme", "xxx", "xxxx", "***", "..."}
CONFIG_SUFFIXES = (".toml", ".env", ".ini", ".cfg", ".yaml", ".yml", ".example", ".conf")


def real_secret(match: re.Match | None) -> bool:
    """A match whose value is not a placeholder."""
    if match is None:
        return False
    value = match.groupdict().get("value") or (match.group(2) if match.re is CONFIG_SECRET else match.group(0))
    line_end = match.string.find("\n", match.end())
    rest = match.string[match.start():line_end if line_end >= 0 else None]
    return value.lower() not in PLACEHOLDERS and "<" not in rest


def repo_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=paths.ROOT,
                         capture_output=True, check=True).stdout.decode()
    return [f for f in out.split("\0") if f and (paths.ROOT / f).is_file()]


def test_scanner_finds_what_it_looks_for():
    """Guard: each pattern matches a planted example (so a clean scan means something)."""
    planted = {
        "private key": "-----BEGIN RSA PRIVATE KEY-----", "AWS key": "AKIAABCDEFGHIJKLMNOP",
        "GitHub token": "ghp_" + "a1" * 18, "Slack token": "xoxb-1234567890-abc", "Google API key": "AIza" + "b" * 35,
        "JWT": "eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.abcdefghijkl", "URL with password": "postgresql://sv:geheim@db.dinas:5432/x",
        "scrypt hash": "scrypt$16384$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
    }
    for name, text in planted.items():
        assert PATTERNS[name].search(text), name
    assert CONFIG_SECRET.search('cookie_secret = "s3cr3t-value"')
    assert CONFIG_SECRET.search("SV_DB_PASSWORD=hunter22")
    assert not real_secret(PATTERNS["URL with password"].search("postgresql://smartvillage:secret@localhost/sv"))
    assert not real_secret(CONFIG_SECRET.search('password_hash = "scrypt$16384$8$1$<salt>$<hash>"'))
    assert not real_secret(CONFIG_SECRET.search('# client_secret = "<client secret>"'))
    assert real_secret(CONFIG_SECRET.search('password_hash = "scrypt$16384$8$1$c2FsdA==$aGFzaA=="'))


def test_no_secret_in_any_committed_file():
    files = repo_files()
    assert "app.py" in files and len(files) > 50
    hits = []
    for name in files:
        data = (paths.ROOT / name).read_bytes()
        if b"\0" in data[:4096]:  # binary (images, fonts, workbooks)
            continue
        text = data.decode("utf-8", errors="replace")
        if name == "tests/reliability/test_secrets.py":  # its own planted examples
            continue
        hits += [f"{name}: {label}" for label, rx in PATTERNS.items() if any(real_secret(m) for m in rx.finditer(text))]
        if name.endswith(CONFIG_SUFFIXES) or "/.env" in f"/{name}":
            hits += [f"{name}: {m.group(0).strip()[:60]}" for m in CONFIG_SECRET.finditer(text)
                     if not m.group(0).lstrip().startswith("#") and real_secret(m)]
    assert not hits, hits


def test_real_secrets_file_is_not_committed_and_is_ignored():
    files = repo_files()
    assert ".streamlit/secrets.toml" not in files
    assert ".streamlit/secrets.toml.example" in files
    ignored = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=paths.ROOT)
    assert ignored.returncode == 0  # ignored: a `git add .` cannot pick it up
