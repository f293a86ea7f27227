"""Photo denoiser weights as a plain ``.npz`` file, and read back from a float32 export.

A training run can start from earlier weights (``init.weights`` in the config, checked by
SHA256) instead of from scratch: CPU training here is slow, so the shipped model is trained in
stages, each continuing the last. The ``.npz`` holds ``<layer>/kernel`` (H, W, in, out) and
``<layer>/bias`` for every convolution of :func:`training.photo_model.build`.

The float32 ``.tflite`` keeps every weight exactly (the converter folds nothing into the
convolutions of this network), so a stage's weights can always be recovered from the file that
shipped::

    python -m training.photo_weights from-tflite --config training/configs/photo_ffdnet_small.json \\
        --tflite src/main/resources/models/photo/photo_ffdnet_small_float32/model.tflite \\
        --out training/runs/photo_ffdnet_small_stage<N>.weights.npz

It refuses unless the Keras model with the recovered weights reproduces the file's output on
a random input (max |difference| below 1e-5).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

import numpy as np

from . import photo_model
from .debian import sha256_of


def conv_layers(model) -> list:
    import keras
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def save_npz(model, path: pathlib.Path) -> str:
    """Writes the convolutions' weights; returns the file's SHA256."""
    arrays = {}
    for layer in conv_layers(model):
        kernel, bias = layer.get_weights()
        arrays[f"{layer.name}/kernel"] = kernel.astype(np.float32)
        arrays[f"{layer.name}/bias"] = bias.astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(path)
    return sha256_of(path)


def load_npz(model, path: pathlib.Path, expected_sha256: str | None = None) -> None:
    """Loads weights written by :func:`save_npz`; every convolution must be there, same shapes."""
    if expected_sha256 is not None and (actual := sha256_of(path)) != expected_sha256:
        raise ValueError(f"{path}: SHA256 {actual} is not the {expected_sha256} the config names")
    with np.load(path) as saved:
        _assign(model, {k: saved[k] for k in saved.files}, str(path))


def from_tflite(model, tflite: pathlib.Path) -> None:
    """Copies the convolutions' weights out of a float32 export of the same architecture.

    The converter names each kernel ``<model>/<layer>_1/convolution`` (layout out, H, W, in)
    and each bias tensor after the fused ops that start with ``<model>/<layer>_1/``."""
    import tensorflow as tf

    interpreter = tf.lite.Interpreter(model_path=str(tflite))
    interpreter.allocate_tensors()
    layers = {layer.name for layer in conv_layers(model)}
    found: dict[str, np.ndarray] = {}
    for detail in interpreter.get_tensor_details():
        parts = detail["name"].split("/")
        if len(parts) < 3 or not parts[1].endswith("_1") or parts[1][:-2] not in layers:
            continue
        layer = parts[1][:-2]
        if np.dtype(detail["dtype"]) != np.float32:
            raise ValueError(f"{tflite}: {layer} is stored as {np.dtype(detail['dtype']).name}; only a float32 "
                             "export holds the weights exactly")
        shape = tuple(detail["shape"])
        try:
            value = interpreter.get_tensor(detail["index"])
        except ValueError:
            continue  # an activation, not a constant
        if len(shape) == 4 and detail["name"] == f"{parts[0]}/{parts[1]}/convolution":
            found[f"{layer}/kernel"] = np.transpose(value, (1, 2, 3, 0))
        elif len(shape) == 1:
            found[f"{layer}/bias"] = value
    _assign(model, found, str(tflite))


def _assign(model, arrays: dict, source: str) -> None:
    for layer in conv_layers(model):
        kernel, bias = layer.get_weights()
        values = []
        for part, want in (("kernel", kernel), ("bias", bias)):
            key = f"{layer.name}/{part}"
            if key not in arrays:
                raise ValueError(f"{source}: no {key} (is it this architecture?)")
            if arrays[key].shape != want.shape:
                raise ValueError(f"{source}: {key} has shape {arrays[key].shape}, the model wants {want.shape}")
            values.append(arrays[key])
        layer.set_weights(values)


def max_difference_vs_tflite(model, tflite: pathlib.Path, size: int = 64, seed: int = 0) -> float:
    """max |Keras - TFLite| on a random image at sigma 25 (the file is resized to ``size``)."""
    from .export_photo import TfliteRunner  # not at import: export_photo imports train_photo, which imports this

    image = np.random.default_rng(seed).random((size, size, 3), dtype=np.float32)
    level = 25 / 255
    out = TfliteRunner(pathlib.Path(tflite).read_bytes())(image, level)
    ref = np.asarray(model({"image": image[None], "noise_level": np.full((1, size, size, 1), level, np.float32)},
                           training=False))[0]
    return float(np.max(np.abs(out - ref)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Photo denoiser weights: recover them from a float32 export")
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("from-tflite", help="write the weights of a float32 .tflite as .npz")
    rec.add_argument("--config", type=pathlib.Path, required=True, help="the config the file was trained with")
    rec.add_argument("--tflite", type=pathlib.Path, required=True)
    rec.add_argument("--out", type=pathlib.Path, required=True)
    args = parser.parse_args(argv)
    import keras
    keras.mixed_precision.set_global_policy("float32")
    config = json.loads(args.config.read_text())
    model = photo_model.build(config["model"], seed=config["seed"])
    from_tflite(model, args.tflite)
    diff = max_difference_vs_tflite(model, args.tflite)
    if not diff < 1e-5:
        print(f"error: the recovered weights do not reproduce {args.tflite} (max |difference| {diff:.3g})",
              file=sys.stderr)
        return 1
    digest = save_npz(model, args.out)
    print(json.dumps({"out": str(args.out), "sha256": digest, "source": str(args.tflite),
                      "source_sha256": sha256_of(args.tflite), "max_abs_difference": diff}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
