"""Where the shipped int8 photo model loses to float32, measured by precision.

Builds the shipped weights (read back from the float32 file) in each of
:data:`training.export_photo.PRECISIONS` but float32, with the int8 recipe of the shipped stage
(every tensor clipped to the quantization-aware stage's ranges from its history, calibrated on
the export's real noisy crops), and writes each as a model folder pair that
``tools/photo-model-eval --model-dir OUT/<precision>`` reads (the float32 folder is the shipped
one, copied). Prints, per precision: bytes, SHA256 (``int8`` must equal the shipped int8 file's,
proof that the recipe is the one that shipped), the tensor types its ops produce, and the
interpreter's milliseconds per export-size tile on this machine (2 threads, XNNPACK where the
ops allow)::

    python -m training.photo_precision --config training/configs/photo_ffdnet_small.json \\
        --history training/runs/photo_ffdnet_small.history.json --corpus /work/photos --out /tmp/precision
    tools/photo-model-eval --float-runner python --model-dir /tmp/precision/a16w8   # and so on
"""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import shutil
import sys
import time

import numpy as np

from . import export_photo, photo_int8, photo_model, photo_qat, photo_weights
from .debian import sha256_of
from .train_photo import load_photos

MODELS = pathlib.Path(__file__).resolve().parent.parent / "src" / "main" / "resources" / "models" / "photo"


def op_outputs(blob: bytes) -> dict[str, int]:
    """How many ops write each tensor type, e.g. {"float32": 20, "int8": 45}."""
    import tensorflow as tf

    interpreter = tf.lite.Interpreter(model_content=blob)
    dtypes = {t["index"]: np.dtype(t["dtype"]).name for t in interpreter.get_tensor_details()}
    counts = collections.Counter(dtypes[i] for op in interpreter._get_ops_details() for i in op["outputs"])
    return dict(sorted(counts.items()))


def tile_ms(blob: bytes, tile: int, repeats: int = 3) -> float:
    """Mean milliseconds of one invoke at the stored tile size after a warm-up invoke."""
    import tensorflow as tf

    interpreter = tf.lite.Interpreter(model_content=blob, num_threads=2)
    interpreter.allocate_tensors()
    for detail in interpreter.get_input_details():
        interpreter.set_tensor(detail["index"], np.zeros(detail["shape"], detail["dtype"]))
    interpreter.invoke()
    start = time.perf_counter()
    for _ in range(repeats):
        interpreter.invoke()
    return (time.perf_counter() - start) / repeats * 1000.0


def write_pair(out: pathlib.Path, name: str, precision: str, blob: bytes, models: pathlib.Path) -> str:
    """OUT/<precision>/<name>_int8 (this blob, the shipped manifest with its own hash and a note)
    beside a copy of the shipped <name>_float32 folder; returns the blob's SHA256."""
    folder = out / precision
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(models / f"{name}_float32", folder / f"{name}_float32")
    target = folder / f"{name}_int8"
    target.mkdir(parents=True)
    (target / "model.tflite").write_bytes(blob)
    manifest = json.loads((models / f"{name}_int8" / "manifest.json").read_text())
    digest = sha256_of(target / "model.tflite")
    manifest.update({"sha256": digest, "bytes": len(blob), "precision": precision,
                     "probe": "training/photo_precision.py: a measurement, not a shipped file"})
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return digest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=pathlib.Path, required=True, help="the shipped stage's config")
    parser.add_argument("--history", type=pathlib.Path, required=True,
                        help="its history.json (the quantization-aware ranges)")
    parser.add_argument("--corpus", type=pathlib.Path, required=True, help="the photo corpus (calibration crops)")
    parser.add_argument("--models", type=pathlib.Path, default=MODELS, help="folder of the shipped model folders")
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--precisions", default="int8,int8_float_sums,a16w8")
    parser.add_argument("--repeats", type=int, default=3, help="timed invokes per precision")
    args = parser.parse_args(argv)
    import keras

    keras.mixed_precision.set_global_policy("float32")
    config = json.loads(args.config.read_text())
    history = json.loads(args.history.read_text())
    if "quant_ranges" not in history:
        print(f"error: {args.history} has no quant_ranges: not a quantization-aware stage's history", file=sys.stderr)
        return 2
    precisions = [p for p in args.precisions.split(",") if p]
    unknown = [p for p in precisions if p not in export_photo.PRECISIONS or p == "float32"]
    if unknown:
        print(f"error: unknown precision(s) {', '.join(unknown)}; choose from "
              f"{', '.join(p for p in export_photo.PRECISIONS if p != 'float32')}", file=sys.stderr)
        return 2
    name, tile = config["name"], config["export"]["tile"]
    float_file = args.models / f"{name}_float32" / "model.tflite"
    model = photo_model.build(config["model"], seed=config["seed"])
    photo_weights.from_tflite(model, float_file)
    clipped = photo_int8.clipped_model(model, config, photo_qat.export_ranges(history))
    _, train_images = load_photos(args.corpus, "train")
    calibration = photo_int8.calibration_crops(config, train_images)
    shipped_int8 = sha256_of(args.models / f"{name}_int8" / "model.tflite")
    report = {"float32": {"bytes": float_file.stat().st_size, "ms_per_tile": round(tile_ms(float_file.read_bytes(), tile, args.repeats), 1)}}
    for precision in precisions:
        blob = export_photo.convert(clipped, tile, precision, calibration)
        digest = write_pair(args.out, name, precision, blob, args.models)
        entry = {"bytes": len(blob), "sha256": digest,
                 "op_outputs": op_outputs(blob), "ms_per_tile": round(tile_ms(blob, tile, args.repeats), 1)}
        if precision == "int8":
            entry["equals_shipped_int8"] = entry["sha256"] == shipped_int8
        report[precision] = entry
        print(json.dumps({precision: entry}), flush=True)
    report["tile"] = tile
    (args.out / "precision.json").write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
