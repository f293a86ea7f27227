#!/usr/bin/env python3
"""Reference STOI values from pystoi for the pairs written by StoiParityDump.

Reads PAIRS/manifest.csv and the NAME.clean.f32 / NAME.degraded.f32 files (little-endian
float32), checks each pair's sha256, computes pystoi.stoi(clean, degraded, rate) in float64 and
writes the reference table OUT: name, seed, sample_rate_hz, samples, sha256, pystoi. The Java
values from the manifest are compared and the largest |java - pystoi| is recorded in the header.
Exits non-zero when a difference exceeds --tolerance. When OUT already holds the same pairs
with every value within --keep-within of the new ones (the last digits of a float64 vary with
the machine's BLAS), OUT is left as it is, so a regenerated reference shows a diff only when
pystoi's answer really moved.
"""
import argparse
import csv
import hashlib
import pathlib
import sys
from importlib.metadata import version

import numpy as np

KEYS = ("name", "seed", "sample_rate_hz", "samples", "sha256")


def unchanged(path: pathlib.Path, results, within: float) -> bool:
    """True when the reference CSV at ``path`` lists exactly these pairs (same keys, same order)
    with every pystoi value within ``within`` of the new one."""
    if not path.exists():
        return False
    with open(path, newline="") as f:
        old = list(csv.DictReader(line for line in f if not line.startswith("#")))
    if len(old) != len(results):
        return False
    for before, (row, value, _) in zip(old, results):
        if any(before[k] != row[k] for k in KEYS) or abs(float(before["pystoi"]) - value) > within:
            return False
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", required=True, type=pathlib.Path,
                        help="folder written by StoiParityDump")
    parser.add_argument("--out", required=True, type=pathlib.Path,
                        help="reference CSV to write")
    parser.add_argument("--tolerance", type=float, default=0.01)
    parser.add_argument("--keep-within", type=float, default=1e-12,
                        help="leave OUT untouched when it differs from the new values by no more")
    args = parser.parse_args()
    import pystoi

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

    if unchanged(args.out, results, args.keep_within):
        print(f"{args.out}: unchanged (every value within {args.keep_within:g} of the committed one)")
    else:
        write(args.out, results, worst, worst_name)
    print(f"max |java - pystoi| = {worst:.3e} ({worst_name}) over {len(results)} pairs")
    if worst > args.tolerance:
        sys.exit(f"parity failed: {worst:.3e} > {args.tolerance}")


def write(path: pathlib.Path, results, worst: float, worst_name: str) -> None:
    with open(path, "w", newline="") as f:
        f.write(f"# pystoi {version('pystoi')}, numpy {np.__version__}, scipy {version('scipy')}:"
                " reference STOI for StoiParityPairs; regenerate with tools/stoi-parity.sh\n")
        f.write(f"# max |java - pystoi| = {worst:.3e} ({worst_name}) over {len(results)} pairs\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(list(KEYS) + ["pystoi"])
        for row, value, _ in results:
            writer.writerow([row[k] for k in KEYS] + [repr(value)])


if __name__ == "__main__":
    main()
