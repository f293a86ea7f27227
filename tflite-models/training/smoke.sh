#!/usr/bin/env bash
# Voice pipeline smoke test for CI: a tiny generated corpus, Java features, a few training
# steps, float32 + int8 export, manifests checked, both models run by the Java CLI, then tiny
# U-Net and CRN mask models trained, exported and checked (training/smoke.py). Needs
# cli/target/denoise.jar (mvn package) and Python 3.11; installs
# training/requirements-train.txt (TensorFlow CPU) when TensorFlow is missing.
# About 3 minutes on 2 cores once TensorFlow is installed. Usage: tflite-models/training/smoke.sh [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(dirname "$here")"
jar="$(dirname "$module")/cli/target/denoise.jar"
python="${PYTHON:-python3}"
if [[ ! -f "$jar" ]]; then
  echo "smoke.sh: $jar is missing; build it first (mvn -q -B package -DskipTests)" >&2
  exit 2
fi
if ! "$python" -c "import tensorflow, keras, soundfile, scipy" 2>/dev/null; then
  "$python" -m pip install -q -r "$here/requirements-train.txt"
fi
work="${1:-$(mktemp -d)}"
cd "$module"
TF_CPP_MIN_LOG_LEVEL=2 "$python" -W ignore -m training.smoke --jar "$jar" --work "$work"
