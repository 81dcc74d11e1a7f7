"""Regenerate the SYNTHETIC example tally beside this script: python assets/make_example_tally.py

Every number is made up by a seeded random generator (no real figures): four fictional districts,
monthly rows for January 2022 to December 2023, a "metrics" and a "fraud_types" sheet. Running it
again writes byte-identical files: example-tally.xlsx and the same tables as two CSV files.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Any

from kreport._atomic import write_atomic
from kreport.tally.template import write_workbook

HERE = Path(__file__).resolve().parent
REGIONS = {"North": 1.0, "South": 0.7, "East": 1.3, "West": 0.5}  # relative size of each district
TYPES = {  # share of reports
    "Order brushing": 0.28,
    "Fake customer service": 0.20,
    "Investment": 0.16,
    "Loan": 0.14,
    "Impersonating officials": 0.08,
}
METRICS = (
    "Fraud reports",
    "Cases solved",
    "Suspects arrested",
    "Losses",
    "Funds returned",
    "Accounts frozen",
)
ABOUT = (
    "SYNTHETIC EXAMPLE DATA: every number here is made up by assets/make_example_tally.py.",
    "It shows the tally layout kreport reads; see the README section on tally spreadsheets.",
)


def tables() -> tuple[list[list[Any]], list[list[Any]]]:
    rng = random.Random(20240101)
    metrics: list[list[Any]] = [["month", "region", *METRICS]]
    types: list[list[Any]] = [["month", "region", *TYPES, "Other", "total"]]
    frozen = {r: int(120 * s) for r, s in REGIONS.items()}
    for year in (2022, 2023):
        trend = 1.0 if year == 2022 else 0.88  # reports fall about 12% in the second year
        for month in range(1, 13):
            label = f"{year}-{month:02d}"
            for region, size in REGIONS.items():
                reports = max(5, round(60 * size * trend * rng.uniform(0.8, 1.2)))
                solved = round(reports * rng.uniform(0.15, 0.35) * (1.0 if year == 2022 else 1.4))
                frozen[region] += rng.randint(-5, 25)
                metrics.append(
                    [
                        label,
                        region,
                        reports,
                        solved,
                        round(solved * rng.uniform(0.8, 1.6)),
                        int(round(reports * rng.uniform(2500, 6000), -2)),
                        int(round(reports * rng.uniform(300, 1500), -2)),
                        frozen[region],
                    ]
                )
                counts = [
                    round(reports * share * rng.uniform(0.7, 1.3)) for share in TYPES.values()
                ]
                other = max(0, reports - sum(counts))
                counts[0] += reports - sum(counts) - other  # keep every count >= 0, total exact
                types.append([label, region, *counts, other, reports])
    return metrics, types


def csv_bytes(rows: list[list[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def main() -> None:
    metrics, types = tables()
    write_workbook(HERE / "example-tally.xlsx", {"metrics": metrics, "fraud_types": types}, ABOUT)
    write_atomic(csv_bytes(metrics), HERE / "example-tally-metrics.csv")
    write_atomic(csv_bytes(types), HERE / "example-tally-fraud_types.csv")


if __name__ == "__main__":
    main()
