"""Print one line of figures from a locust --csv stats file (the «Aggregated» row)."""

import csv
import sys

users, path = sys.argv[1], sys.argv[2]
with open(path, newline="", encoding="utf-8") as handle:
    rows = list(csv.DictReader(handle))
for row in rows:
    if row["Name"] == "Aggregated":
        total = int(row["Request Count"])
        failures = int(row["Failure Count"])
        print(
            f"{users:>4} users: {float(row['Requests/s']):7.1f} req/s, "
            f"median {row['50%']} ms, p95 {row['95%']} ms, "
            f"errors {failures}/{total} ({100 * failures / max(total, 1):.2f} %)"
        )
for row in rows:
    if row["Name"] != "Aggregated":
        print(
            f"        {row['Type']:>4} {row['Name']:<45} median {row['50%']:>5} ms  "
            f"p95 {row['95%']:>5} ms  {row['Failure Count']} errors"
        )
