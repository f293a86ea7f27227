#!/usr/bin/env python3
"""Reference STOI values from pystoi for the pairs written by StoiParityDump.

Reads PAIRS/manifest.csv and the NAME.clean.f32 / NAME.degraded.f32 files (little-endian
float32), checks each pair's sha256, computes pystoi.stoi(clean, degraded, rate) in float64 and
writes the reference table OUT: name, seed, sample_rate_hz, samples, sha256, pystoi. The Java
values from the manifest are compared and the largest |java - pystoi| is recorded in the header.
Exits non-zero when a difference exceeds --tolerance.
"""
import argparse
import csv
import hashlib
import pathlib
import sys
from importlib.metadata import version

import numpy as np
import pystoi


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", required=True, type=pathlib.Path,
                        help="folder written by StoiParityDump")
    parser.add_argument("--out", required=True, type=pathlib.Path,
                        help="reference CSV to write")
    parser.add_argument("--tolerance", type=float, default=0.01)
    args = parser.parse_args()

    with open(args.pairs / "manifest.csv", newline="") as f:
        rows = list(csv.DictReader(f))

    results = []
    worst = 0.0
    worst_name = ""
    for row in rows:
        name = row["name"]
        clean_bytes = (args.pairs / f"{name}.clean.f32").read_bytes()
        degraded_bytes = (args.pairs / f"{name}.degraded.f32").read_bytes()
        digest = hashlib.sha256(clean_bytes + degraded_bytes).hexdigest()
        if digest != row["sha256"]:
            sys.exit(f"{name}: sha256 of the files {digest} != manifest {row['sha256']}")
        clean = np.frombuffer(clean_bytes, dtype="<f4").astype(np.float64)
        degraded = np.frombuffer(degraded_bytes, dtype="<f4").astype(np.float64)
        rate = int(row["sample_rate_hz"])
        value = float(pystoi.stoi(clean, degraded, rate))
        diff = abs(float(row["java_stoi"]) - value)
        if diff > worst:
            worst, worst_name = diff, name
        results.append((row, value, diff))
        print(f"{name:32s} rate={rate:5d} pystoi={value:.6f} java={float(row['java_stoi']):.6f}"
              f" |diff|={diff:.2e}")

    with open(args.out, "w", newline="") as f:
        f.write(f"# pystoi {version('pystoi')}, numpy {np.__version__}, scipy {version('scipy')}:"
                " reference STOI for StoiParityPairs; regenerate with tools/stoi-parity.sh\n")
        f.write(f"# max |java - pystoi| = {worst:.3e} ({worst_name}) over {len(results)} pairs\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["name", "seed", "sample_rate_hz", "samples", "sha256", "pystoi"])
        for row, value, _ in results:
            writer.writerow([row["name"], row["seed"], row["sample_rate_hz"], row["samples"],
                             row["sha256"], repr(value)])
    print(f"max |java - pystoi| = {worst:.3e} ({worst_name}) over {len(results)} pairs")
    if worst > args.tolerance:
        sys.exit(f"parity failed: {worst:.3e} > {args.tolerance}")


if __name__ == "__main__":
    main()
