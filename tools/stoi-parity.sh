#!/usr/bin/env bash
# Rebuilds the STOI parity reference end to end: compiles the test classes, dumps the
# StoiParityPairs to float32 files, computes pystoi on them (tools/stoi_parity.py, needs numpy,
# scipy and pystoi 0.4.1), rewrites the committed reference CSV when pystoi's values moved by more
# than 1e-12 (not for last-digit noise), shows its diff and runs the
# JUnit parity test. Usage: tools/stoi-parity.sh [WORK_DIR]  (default: a fresh temp folder)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=${1:-$(mktemp -d)}
reference=denoise-core/src/test/resources/metrics/pystoi_reference.csv

mvn -q -B -pl denoise-core test-compile
mvn -q -B -pl denoise-core dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >/dev/null
classpath="denoise-core/target/test-classes:denoise-core/target/classes:$(cat "$work/classpath.txt")"
java -cp "$classpath" dev.denoise.core.metrics.StoiParityDump "$work/pairs"
python3 tools/stoi_parity.py --pairs "$work/pairs" --out "$reference"
git --no-pager diff --stat -- "$reference"
mvn -q -B -pl denoise-core test -Dtest='StoiParityTest'
echo "pairs in $work/pairs; reference in $reference"
