"""Bounded work for an upload: validation time over the number of bad rows, and the XLSX cell bomb.

Each case runs in its own child process (a fresh interpreter, so peak memory is the case's own), which
reports seconds of validation, peak RSS (``ru_maxrss``) and what the report said. A case that runs past
``--timeout`` seconds is killed and reported as such (the unbounded code takes minutes).

    python -m bench.upload_limits                    # 1k, 2k, 4k, 16k bad rows + the cell bombs
    python -m bench.upload_limits --rows 1000 2000 4000 --timeout 400 --out artifacts/bench/upload.json

The files are made here, independently of the app: "bad rows" are adoption rows for Tanggamus desa whose
stage or date is empty or wrong or whose village name is unknown, 17-36 bytes a row, as in the issue
(1,000 bad rows = 18 KB); the cell bomb is an XLSX of 100,000 rows x 50 numbers
(about 0.2 MB zipped, 75 MB of sheet XML) and one of 10 million cells, both written as raw sheet XML
without cell references; "stream" is 400,000 cells in 6 MB of XML (under the unpacked limit, over the cells
limit).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def cell_bomb(rows: int, cols: int, header: tuple[str, ...] = ("kode_desa", "tahap", "tanggal")) -> bytes:
    """An .xlsx whose one sheet holds a header row and ``rows`` x ``cols`` small numbers (raw XML, deflated)."""
    def sheet():
        yield ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
               'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        head = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in header)
        yield f"<row>{head}</row>"
        body = "<row>" + "<c><v>1</v></c>" * cols + "</row>"  # no cell references: they are optional
        for _ in range(rows):
            yield body
        yield "</sheetData></worksheet>"

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for part in sheet():
                fh.write(part.encode())
    return buf.getvalue()


def bad_rows(n: int, desa: list[str]) -> bytes:
    """``n`` adoption rows that all fail: a missing stage or date (required cells), a date that is no date,
    or an unknown village name."""
    lines = ["kode_desa;nama_desa;tahap;tanggal"]
    for i in range(n):
        code = desa[i % len(desa)]
        lines.append([f"{code};;Bergabung;", f"{code};;;1/2/2024", f"{code};;;32/13/2024",
                      f";Tidakada {i % 97};Bergabung;1/2/2024"][i % 4])
    return ("\n".join(lines) + "\n").encode()


def _child(case: str, n: int) -> None:
    """Run one case in this process and print its JSON result (address space capped at MEM_LIMIT_GB: the
    unbounded reader would otherwise take whatever the machine has)."""
    limit = int(float(os.environ.get("SV_BENCH_MEM_LIMIT_GB", "4")) * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import pandas as pd

    from utils.data import paths
    from utils.intake import validation

    regions = pd.read_parquet(paths.REGIONS)
    desa = regions[(regions["kab_code"] == "18.06") & (regions["village_type"] == "desa")]["code"].tolist()
    if case == "rows":
        name, data = f"adopsi-{n}.csv", bad_rows(n, desa)
    else:
        rows, cols = {"bomb": (100_000, 50), "bomb10m": (200_000, 50), "stream": (8_000, 50)}[case]
        name, data = f"{case}.xlsx", cell_bomb(rows, cols)
    validation.validate("adoption", "warm.csv", bad_rows(10, desa), regions, "18.06", {})  # imports, caches
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    report = validation.validate("adoption", name, data, regions, "18.06", {})
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    keys: dict[str, int] = {}
    for issue in report.issues:
        keys[issue.key] = keys.get(issue.key, 0) + 1
    print(json.dumps({"case": case, "n": n, "bytes": len(data), "seconds": round(seconds, 3),
                      "cpu_seconds": round(cpu, 3),
                      "rss_before_mb": round(rss0 / 1024), "peak_rss_mb": round(
                          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "issues": keys}))


def run_case(case: str, n: int, timeout: float) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.upload_limits", "--child", case, str(n)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None and time.perf_counter() - t0 < timeout:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            peak = max(peak, next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS")))
        except (OSError, StopIteration):
            pass
        time.sleep(0.2)
    if proc.poll() is None:
        proc.kill()
        proc.communicate()
        return {"case": case, "n": n, "killed_after_s": timeout, "peak_rss_mb": round(peak / 1024)}
    out, err = proc.communicate()
    if proc.returncode != 0:
        return {"case": case, "n": n, "error": err.strip().splitlines()[-1:], "peak_rss_mb": round(peak / 1024),
                "after_s": round(time.perf_counter() - t0, 1)}
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.upload_limits", description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="*", default=[1000, 2000, 4000, 16000])
    ap.add_argument("--bombs", nargs="*", default=["bomb", "bomb10m", "stream"])
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--mem-limit-gb", type=float, default=4.0, help="address-space cap of each case's process")
    ap.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench" / "upload_limits.json")
    ap.add_argument("--child", nargs=2, metavar=("CASE", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    os.environ["SV_BENCH_MEM_LIMIT_GB"] = str(args.mem_limit_gb)
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return 0
    results = [run_case("rows", n, args.timeout) for n in args.rows]
    results += [run_case(b, 0, args.timeout) for b in args.bombs]
    for r in results:
        print(json.dumps(r))
    timed = [r for r in results if r["case"] == "rows" and "seconds" in r]
    for a, b in zip(timed, timed[1:], strict=False):
        print(f"{a['n']} -> {b['n']} rows: x{b['n'] / a['n']:.0f} rows, x{b['cpu_seconds'] / a['cpu_seconds']:.1f} CPU time")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"cpus": os.cpu_count(), "load": os.getloadavg(), "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
