#!/usr/bin/env bash
# Compiles denoise-core (offline) and runs tools/bm3d_compare.py at low priority.
# Usage: tools/bm3d_compare.sh [bm3d_compare.py options]; PYTHON overrides the interpreter
# (default: .venv/bin/python when present, where `pip install bm3d pillow` put the reference).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
mvn -q -B -o -pl denoise-core test-compile >&2  # keep stdout for the table
python="${PYTHON:-$repo/.venv/bin/python}"
[ -x "$python" ] || python=python3
exec nice -n 10 "$python" "$repo/tools/bm3d_compare.py" "$@"
