"""Preprocessing of the Boston-housing walkthrough (a short stand-in).

SageMaker ran it as the processing job pytorch-workflow-preprocessing-26-15-41-18
(its `code` input, /opt/ml/processing/input/code/preprocessing.py): it reads the
raw data and the neighbourhoods file, and ingests the records into the
boston-housing and boston-housing-v5 feature groups.
`lineage generate --code examples/code/processing/preprocessing.py` links the
job to this file at the commit that last changed it.
"""
import argparse
import csv
import os

RAW = "/opt/ml/processing/input/raw"
NEIGHBOURHOODS = "/opt/ml/processing/input/neighbourhoods"


def read_rows(folder):
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), newline="") as handle:
            yield from csv.DictReader(handle)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--feature-groups", default="boston-housing,boston-housing-v5")
    args = parser.parse_args()
    groups = args.feature_groups.split(",")
    rows = [row for row in read_rows(RAW) if row.get("medv")]
    print(f"{len(rows)} records for feature groups {', '.join(groups)}")


if __name__ == "__main__":
    main()
