"""Child process of test_faults: validates one upload and writes it through utils.intake.apply (as the
administrator, so it is applied at once), announcing "go" on stdout just before the write starts.

Usage: python -m tests.reliability._upload_worker <database url> <csv file>
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from utils.data import auth, paths, store
from utils.intake import apply, validation

if __name__ == "__main__":
    url, csv = sys.argv[1], Path(sys.argv[2])
    engine = store.get_engine(url)
    regions = pd.read_parquet(paths.REGIONS)
    report = validation.validate("adoption", csv.name, csv.read_bytes(), regions, "18.06",
                             {"bimtek_events": store.read_table(engine, "bimtek_events")})
    assert report.ok, report.issues[:3]
    print("go", flush=True)
    apply.submit(engine, report, auth.Operator("admin", "Admin Provinsi", "admin", None))
    print("done", flush=True)
