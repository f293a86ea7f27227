"""Exports the trained photo denoiser to TensorFlow Lite, float32 and full int8, with manifests.

Called by :mod:`training.train_photo` (or ``python -m training.train_photo ... --export-only``).

* The graph is converted at a fixed ``export.tile`` x ``export.tile`` shape: the 2.6 desktop
  runtime prepares a model at its stored input shape when the Interpreter is created, and
  SPACE_TO_DEPTH refuses the 1x1 placeholder that a dynamic-shape conversion stores
  (DESIGN.md). Every op is shape-agnostic, so callers resize the inputs to any even size
  before allocating (``Interpreter.resizeInput`` + ``allocateTensors``); the checks below run
  both at the stored size and at another size.
* int8: weights and activations int8, inputs and outputs int8, calibrated on real noisy crops
  of the train photos (the training noise mixture, gray and colour), not on random tensors.
  The image input's range is [0, 1], so its int8 quantization is (about) the 8-bit code. With
  ``export.clip_percentile`` p the int8 file is converted from a copy of the model whose
  residual stream is clipped to its p-th percentile ranges on those crops
  (:mod:`training.photo_int8`), so a few outliers do not set the int8 step; the float32 file is
  the unclipped model.
* Checks: each .tflite through Python's interpreter against the Keras float model on val crops
  (Gaussian sigma 25 and the noise mixture): max/mean |difference| and PSNR of both against the
  clean crops. ``GOLDEN/<name>_<kind>/`` (the Java tests' resources) holds a small input and
  this interpreter's output so the Java runtime (2.6 JNI) is checked against Python in a test.
"""

from __future__ import annotations

import hashlib
import json
import pathlib

import numpy as np

from . import photo_int8, photo_model, photo_noise, photo_qat
from .train_photo import load_photos, psnr

GOLDEN_W, GOLDEN_H = 72, 48


def _frozen_module(model, tile: int):
    import tensorflow as tf
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    class Net(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([1, tile, tile, 3], tf.float32, name="image"),
                                      tf.TensorSpec([1, tile, tile, 1], tf.float32, name="noise_level")])
        def serve(self, image, noise_level):
            return {"denoised": model({"image": image, "noise_level": noise_level}, training=False)}

    net = Net()
    concrete = net.serve.get_concrete_function()
    frozen = convert_variables_to_constants_v2(concrete)
    signature = list(net.serve.input_signature)

    class Frozen(tf.Module):
        @tf.function(input_signature=signature)
        def serve(self, image, noise_level):
            flat = frozen(image=image, noise_level=noise_level)
            return tf.nest.pack_sequence_as(concrete.structured_outputs, flat)

    return Frozen()


# Precisions a photo model converts to. "int8" ships (every tensor int8, int8 in and out).
# The other two are measurements of where int8 loses (training/photo_precision.py), not shipped:
# "int8_float_sums" keeps the residual sums, the clips and the output path in float32 (the
# convolutions stay int8, float32 in and out); "a16w8" stores every activation in int16 with
# int8 weights (TFLite's 16x8 mode; its depth/space reshuffles have no 16x8 kernel and stay
# float32).
PRECISIONS = ("float32", "int8", "int8_float_sums", "a16w8")
FLOAT_OPS_WITH_FLOAT_SUMS = ("ADD", "MINIMUM", "MAXIMUM", "SUB", "DEPTH_TO_SPACE")


def convert(model, tile: int, precision: str, calibration: list | None = None) -> bytes:
    """The model as a .tflite file in one of :data:`PRECISIONS`; every precision but float32
    calibrates on ``calibration``."""
    import tensorflow as tf

    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}; one of {', '.join(PRECISIONS)}")
    module = _frozen_module(model, tile)
    converter = tf.lite.TFLiteConverter.from_concrete_functions([module.serve.get_concrete_function()], module)
    converter._experimental_disable_per_channel_quantization_for_dense_layers = True
    if precision == "float32":
        return converter.convert()
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = lambda: ({"image": x, "noise_level": m} for x, m in calibration)
    if precision == "a16w8":
        converter.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8,
                                               tf.lite.OpsSet.TFLITE_BUILTINS]
        return converter.convert()
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    if precision == "int8":
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        return converter.convert()
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8, tf.lite.OpsSet.TFLITE_BUILTINS]
    options = tf.lite.experimental.QuantizationDebugOptions(denylisted_ops=list(FLOAT_OPS_WITH_FLOAT_SUMS))
    debugger = tf.lite.experimental.QuantizationDebugger(
        converter=converter, debug_dataset=lambda: ([x, m] for x, m in calibration[:2]), debug_options=options)
    return debugger.get_nondebug_quantized_model()


class TfliteRunner:
    """Runs a converted model at any even size through Python's interpreter, (de)quantising
    int8 tensors with their own parameters."""

    def __init__(self, blob: bytes):
        import tensorflow as tf
        self.interpreter = tf.lite.Interpreter(model_content=blob, num_threads=2)
        # Details once, then drop the signature runner: a live runner holds views of the
        # interpreter's buffers and makes allocate_tensors() after a resize fail.
        runner = self.interpreter.get_signature_runner("serving_default")
        self.ins = runner.get_input_details()
        self.outs = runner.get_output_details()
        del runner
        self.shape = None

    def __call__(self, image: np.ndarray, level: float) -> np.ndarray:
        h, w = image.shape[:2]
        ins, outs = self.ins, self.outs
        if self.shape != (h, w):
            self.interpreter.resize_tensor_input(ins["image"]["index"], [1, h, w, 3], strict=False)
            self.interpreter.resize_tensor_input(ins["noise_level"]["index"], [1, h, w, 1], strict=False)
            self.interpreter.allocate_tensors()
            self.shape = (h, w)
        feed = {"image": image[None].astype(np.float32),
                "noise_level": np.full((1, h, w, 1), level, np.float32)}
        for k, d in ins.items():
            if d["dtype"] == np.int8:
                scale, zero = d["quantization"]
                feed[k] = np.clip(np.floor(feed[k] / scale + 0.5) + zero, -128, 127).astype(np.int8)
        self.interpreter.set_tensor(ins["image"]["index"], feed["image"])
        self.interpreter.set_tensor(ins["noise_level"]["index"], feed["noise_level"])
        self.interpreter.invoke()
        d = outs["denoised"]
        y = self.interpreter.get_tensor(d["index"])[0]
        if d["dtype"] == np.int8:
            scale, zero = d["quantization"]
            y = (y.astype(np.float32) - zero) * scale
        return y.astype(np.float32)


def _tensor_entry(name: str, detail: dict) -> dict:
    scale, zero = detail["quantization"]
    return {"name": name, "tensor": detail["name"], "shape": [int(s) for s in detail["shape"]],
            "dtype": np.dtype(detail["dtype"]).name,
            "quantization": {"scale": float(scale), "zero_point": int(zero)}}


def artefact_check(int8, float32, val_images: list, seed: int, sigmas=(15, 50), size: int = 256) -> dict:
    """Pixels where the int8 file's 8-bit output is far from the float32 file's: the centre
    ``size``² crop (smaller if a photo is) of every val photo under seeded Gaussian noise at each sigma. Clipping a tensor
    the network needs whole (the predicted noise at strong noise, say) shows here as a few
    hundred pixels off by more than 16/255 while PSNR hardly moves."""
    size = min([size] + [d // 2 * 2 for image in val_images for d in image.shape[:2]])
    out = {"crops": len(val_images), "size": size, "sigmas": list(sigmas)}
    for sigma in sigmas:
        over8 = over16 = worst = 0
        for k, image in enumerate(val_images):
            image = photo_noise.as_rgb(image)
            h, w = image.shape[:2]
            clean = image[(h - size) // 2:(h + size) // 2, (w - size) // 2:(w + size) // 2].astype(np.float32) / 255.0
            rng = np.random.default_rng([seed, sigma, k])
            noisy = photo_noise.quantise8(clean + sigma / 255.0 * rng.standard_normal(clean.shape, dtype=np.float32))
            a, b = (np.rint(np.clip(r(noisy, sigma / 255.0), 0, 1) * 255).astype(np.int32) for r in (int8, float32))
            error = np.abs(a - b)
            over8 += int((error > 8).sum())
            over16 += int((error > 16).sum())
            worst = max(worst, int(error.max()))
        out[f"sigma{sigma}"] = {"pixels_over_8": over8, "pixels_over_16": over16, "max_error_255": worst}
    return out


def export(config: dict, corpus: pathlib.Path, out: pathlib.Path, models: pathlib.Path, log,
           golden_root: pathlib.Path | None = None) -> dict:
    import keras
    import tensorflow as tf

    keras.mixed_precision.set_global_policy("float32")
    e = config["export"]
    tile = e["tile"]
    name = config["name"]
    state = json.loads((out / "ckpt" / "state.json").read_text())
    model = photo_qat.load_checkpoint(config, state, out / "ckpt" / "best.weights.h5")
    log(f"exporting best step {state['best_step']} of {state['step']}")

    _, train_images = load_photos(corpus, "train")
    _, val_images = load_photos(corpus, "val")
    noise_cfg = photo_noise.NoiseConfig.from_dict(config.get("noise", {}))
    calibration = photo_int8.calibration_crops(config, train_images)
    log(f"int8 calibration: {len(calibration)} real noisy {tile}x{tile} crops of train photos "
        f"(training noise mixture, {noise_cfg.gray_p:.0%} gray)")

    clip = None
    int8_model = model
    if config["train"].get("quantization_aware"):
        ranges = photo_qat.export_ranges(state)
        int8_model = photo_int8.clipped_model(model, config, ranges)
        clip = {"ranges": ranges,
                "method": "every stored tensor clipped to the range the quantization-aware stage rounded it to "
                          "(training/photo_qat.py) before calibrating; weights unchanged"}
        log(f"int8: clipping {len(ranges)} tensors to the quantization-aware stage's ranges")
    elif e.get("clip_percentile") is not None:
        ranges = photo_int8.activation_ranges(model, config["model"], calibration, e["clip_percentile"])
        int8_model = photo_int8.clipped_model(model, config, ranges)
        clip = {"percentile": e["clip_percentile"], "ranges": ranges,
                "method": "residual-stream tensors clipped to these percentiles of their values on the "
                          "calibration crops before calibrating (training/photo_int8.py); weights unchanged"}
        log(f"int8: clipping {len(ranges)} tensors to their {e['clip_percentile']} percentile ranges")

    verify = photo_noise.PatchSampler(val_images, e.get("verify_patch", 128), config["seed"] + 13, noise_cfg)
    rng = np.random.default_rng([config["seed"], 13])
    checks = []
    for i in range(e["verify_crops"]):
        clean = verify.clean_crop(rng)
        gauss = photo_noise.quantise8(clean + 25 / 255 * rng.standard_normal(clean.shape, dtype=np.float32))
        mixed, lv, _ = photo_noise.add_noise(clean, rng, noise_cfg, gray=False)
        checks.append((clean, gauss, 25 / 255))
        checks.append((clean, mixed, lv))
    # Also at the stored tile size, to cover the shape the runtime prepares at load.
    big_clean = photo_noise.PatchSampler(val_images, tile, config["seed"] + 17, noise_cfg).clean_crop(rng)
    checks.append((big_clean, photo_noise.quantise8(big_clean + 25 / 255 * rng.standard_normal(big_clean.shape, dtype=np.float32)), 25 / 255))

    def keras_out(noisy, lv):
        return np.asarray(model({"image": noisy[None], "noise_level": np.full(noisy.shape[:2] + (1,), lv, np.float32)[None]},
                                training=False))[0]

    references = [keras_out(n, lv) for _, n, lv in checks]
    golden_rng = np.random.default_rng([config["seed"], 19])
    g_clean = verify.clean_crop(golden_rng)[:GOLDEN_H, :GOLDEN_W]
    g_noisy = photo_noise.quantise8(g_clean + 25 / 255 * golden_rng.standard_normal(g_clean.shape, dtype=np.float32))
    results, runners = {}, {}
    for kind in ("float32", "int8"):
        blob = convert(int8_model if kind == "int8" else model, tile, kind, calibration)
        runner = TfliteRunner(blob)
        diffs, p_model, p_keras, p_noisy = [], [], [], []
        for (clean, noisy, lv), ref in zip(checks, references):
            y = runner(noisy, lv)
            diffs.append(np.abs(y - ref).ravel())
            p_model.append(psnr(y[None], clean[None]))
            p_keras.append(psnr(ref[None], clean[None]))
            p_noisy.append(psnr(noisy[None], clean[None]))
        diffs = np.concatenate(diffs)
        check = {"crops": len(checks), "sizes": sorted({f"{c.shape[1]}x{c.shape[0]}" for c, _, _ in checks}),
                 "reference": "Keras float32 model, same weights",
                 "abs_error_max": float(diffs.max()), "abs_error_mean": float(diffs.mean()),
                 "psnr_tflite": round(float(np.mean(p_model)), 3), "psnr_keras": round(float(np.mean(p_keras)), 3),
                 "psnr_noisy": round(float(np.mean(p_noisy)), 3)}
        log(f"{kind}: {len(blob)} bytes; vs Keras on {check['crops']} val crops ({', '.join(check['sizes'])}): "
            f"|err| max {check['abs_error_max']:.4f} mean {check['abs_error_mean']:.5f}; PSNR tflite "
            f"{check['psnr_tflite']:.2f} keras {check['psnr_keras']:.2f} noisy {check['psnr_noisy']:.2f}")
        runners[kind] = runner
        artefacts = None
        if kind == "int8":
            artefacts = artefact_check(runner, runners["float32"], val_images, config["seed"] + 23)
            log("int8 vs float32, 8-bit outputs on the val photos' centre 256x256 crops: " + "; ".join(
                f"sigma {sg}: {artefacts[f'sigma{sg}']['pixels_over_16']} px off by > 16/255, "
                f"{artefacts[f'sigma{sg}']['pixels_over_8']} by > 8/255, max {artefacts[f'sigma{sg}']['max_error_255']}/255"
                for sg in artefacts["sigmas"]))
        folder = models / f"{name}_{kind}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "model.tflite").write_bytes(blob)
        ins, outs = runner.ins, runner.outs
        # Golden: a 72x48 colour crop at sigma 25 through this interpreter (resized), for the Java
        # test (which also compares the int8 output's error against the float32 golden output).
        golden = (golden_root or folder.parent / "golden") / f"{name}_{kind}"
        golden.mkdir(parents=True, exist_ok=True)
        g_out = runner(g_noisy, 25 / 255)
        g_noisy.astype("<f4").tofile(golden / "input_hwc.f32")
        g_out.astype("<f4").tofile(golden / "output_hwc.f32")
        (golden / "golden.json").write_text(json.dumps({
            "width": GOLDEN_W, "height": GOLDEN_H, "channels": 3, "layout": "HWC float32 little-endian",
            "noise_level": 25 / 255, "sigma255": 25.0,
            "source": "val photo crop + seeded Gaussian sigma 25, 8-bit quantised; output from Python's "
                      f"TFLite interpreter (tensorflow {tf.__version__})"}, indent=1) + "\n")
        manifest = {
            "format_version": 1,
            "model": f"{name}_{kind}",
            "file": "model.tflite",
            "sha256": hashlib.sha256(blob).hexdigest(),
            "bytes": len(blob),
            "kind": "photo-denoiser",
            "architecture": "FFDNet-style: concat(image, noise_level) -> SPACE_TO_DEPTH 2 -> conv3x3 "
                            f"{config['model']['width']} -> {config['model']['blocks']} x (x + conv3x3(ReLU(conv3x3(x)))) "
                            "-> conv3x3 12 -> DEPTH_TO_SPACE 2 -> image - that",
            "precision": kind,
            "converter": f"tensorflow {tf.__version__}, per-channel dense quantization disabled"
                         + ("; full int8 (inputs and outputs int8)" if kind == "int8" else ""),
            "signature": "serving_default",
            "inputs": [_tensor_entry("image", ins["image"]), _tensor_entry("noise_level", ins["noise_level"])],
            "outputs": [_tensor_entry("denoised", outs["denoised"])],
            "layout": "NHWC; image RGB in [0, 1] (8-bit code / 255, sRGB as stored); noise_level: the noise "
                      "standard deviation in the same units (sigma255 / 255), constant over the tile; "
                      "gray photos: Y on all three channels, output channels averaged",
            "dynamic_spatial": True,
            "size_multiple": 2,
            "stored_size": [tile, tile],
            "resize": "resize both inputs to [1, H, W, 3] / [1, H, W, 1] (H, W even) and allocate before "
                      "running; the stored size is only what the runtime prepares at load",
            "receptive_radius": photo_model.receptive_radius(config["model"]),
            "max_noise_level": noise_cfg.sigma_cap / 255.0,
            "params": photo_model.count_params(config["model"]),
            "macs_per_pixel": photo_model.macs_per_pixel(config["model"]),
            "training_data": {
                "corpus": "python -m training.photo_corpus build (splits in training/data/photo_splits)",
                "photos": "55 Debian wallpaper photographs (downscaled 2-4x) + 15 wheel-bundled photos; "
                          "62 train / 8 val photos",
                "noise": dataclass_dict(noise_cfg),
                "benchmarks_not_used": "BSD68/CBSD68 never used for training or calibration",
            },
            "mode": config.get("mode", "clean"),
            "seed": config["seed"],
            "config": config,
            "steps": state["step"],
            "best_step": state["best_step"],
            "train_minutes": round(state["train_s"] / 60.0, 1),
            "validation_history_last": state["history"][-1] if state["history"] else None,
            "calibration": {"crops": len(calibration), "size": tile,
                            "source": "train photos, training noise mixture (real photo content, synthetic noise)",
                            "activation_clip": clip}
            if kind == "int8" else None,
            "check_vs_keras": check,
            "check_vs_float32": artefacts,
            "golden": "72x48 input and this file's Python-interpreter output under the Java tests' resources "
                      f"(golden/{name}_{kind}/), checked against the runtime that runs it",
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
        results[kind] = manifest
    return results


def dataclass_dict(cfg) -> dict:
    import dataclasses
    return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(cfg).items()}
