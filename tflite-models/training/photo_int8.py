"""Activation ranges for the photo denoiser's full-int8 export, with the rare outliers clipped.

The converter's min/max calibration gives every stored tensor the whole range it reaches on the
calibration crops, so a handful of extreme values sets the int8 step for all the others, and
rounding in fourteen chained convolutions adds up: plain post-training int8 cost about 2 dB
against float32 on the val crops here (0.07-0.78 dB on BSD68/CBSD68).

This module measures the residual stream's tensors (the head convolution's output and each
block's sum, the tensors every later layer reads) at their ``100 - p`` / ``p`` percentiles on
the calibration crops and builds a copy of the model, same weights, whose residual stream is
clipped to those bounds (``photo_model.build``'s ``clip``). Calibrating that copy stores the
narrower ranges; the clipping exists in the float graph too, so the int8 graph computes what
the clipped float model computes. The float32 export keeps the unclipped model.

Measured through TFLite on 16 val crops per set (Gaussian sigma 25 colour / gray, training
mixture; float32 35.63 / 35.09 / 36.92 dB) and, for artefacts, |int8 - float32| on 256x256
centre crops of the 8 val photos at sigma 15 and 50:

* plain min/max: 33.60 / 33.15 / 34.35 dB; max |error| 0.050, no pixel off by more than 16/255;
* residual stream at p = 99.999 (shipped): 33.99 / 33.50 / 34.76; max 0.051, none over 16/255,
  a fifth as many over 8/255;
* residual stream at p = 99.99: 34.30 / 33.81 / 35.17, but 57 pixels over 16/255 (max 0.10);
* every tensor at p = 99.99: 34.49 / 33.99 / 35.40, but 1175 pixels over 16/255 (max 0.33,
  mostly at sigma 50): clipping the convolutions' own outputs and the predicted noise cuts
  real signal at strong noise, visible as spots;
* (the two rows above clipping more than the residual stream used clip points after every
  convolution and on the predicted noise; ``photo_model.build`` dropped them once rejected:
  commit a770de0 has them)
* also tried, no gain: equalising per-channel ranges across each block (cross-layer scaling,
  the function unchanged) and quantization-aware fine-tuning (300 steps: +0.04 dB int8, float
  -0.1 to -0.2 dB).

This is the post-training path. A quantization-aware stage (:mod:`training.photo_qat`) trains
through narrower ranges on most tensors and exports with every tensor clipped to them instead.
"""

from __future__ import annotations

import numpy as np

from . import photo_model, photo_noise

# Values per crop and tensor that go into the percentiles (a seeded draw): a 256x256 crop gives
# 128x128x64 = 1 M values per tensor, 200 M over the 200 calibration crops; 10^5 per crop
# (20 M in all, 80 MB per tensor) still put 200 above the 99.999th percentile.
_SAMPLES_PER_CROP = 100_000


def calibration_crops(config: dict, train_images: list, count: int | None = None) -> list:
    """The int8 calibration inputs: (noisy image, noise-level map) pairs, real noisy crops of
    the train photos at the export tile size under the training noise mixture, seeded by the
    config. The export calibrates on all ``export.calibration_crops`` of them; the
    quantization-aware stage measures its ranges on the first ``count``."""
    e = config["export"]
    sampler = photo_noise.PatchSampler(train_images, e["tile"], config["seed"] + 11,
                                       photo_noise.NoiseConfig.from_dict(config.get("noise", {})))
    crops = []
    for i in range(e["calibration_crops"] if count is None else count):
        noisy, level, _ = sampler.batch(10_000_000 + i, 1)
        crops.append((noisy, np.broadcast_to(level[:, None, None, None], noisy.shape[:3] + (1,)).astype(np.float32)))
    return crops


def residual_tensors(cfg: dict) -> list[str]:
    """The layers whose outputs form the residual stream: the head and each block's sum."""
    return ["head"] + [f"block{i}" for i in range(cfg["blocks"])]


def activation_ranges(model, cfg: dict, calibration: list, percentile: float,
                      names: list[str] | None = None) -> dict[str, list[float]]:
    """{layer: [lo, hi]}: the ``100 - percentile`` and ``percentile`` percentiles of each named
    tensor (default: the residual stream) over the calibration inputs (pairs of image,
    noise-level map), widened to include 0 as the converter's asymmetric int8 ranges do."""
    import keras

    if not 50.0 < percentile < 100.0:
        raise ValueError(f"clip percentile must be in (50, 100), got {percentile}")
    names = residual_tensors(cfg) if names is None else names
    probe = keras.Model(model.inputs, [model.get_layer(n).output for n in names])
    samples = {n: [] for n in names}
    rng = np.random.default_rng(0)
    for image, level in calibration:
        outputs = probe({"image": image, "noise_level": level}, training=False)
        for n, t in zip(names, outputs):
            values = np.asarray(t, np.float32).ravel()
            samples[n].append(values[rng.integers(0, values.size, _SAMPLES_PER_CROP)])
    ranges = {}
    for n in names:
        lo, hi = np.percentile(np.concatenate(samples[n]), [100.0 - percentile, percentile])
        ranges[n] = [min(0.0, float(lo)), max(0.0, float(hi))]
    return ranges


def clipped_model(model, config: dict, ranges: dict):
    """A copy of ``model`` (same weights) whose named tensors are clipped to ``ranges``."""
    cfg = dict(config["model"])
    cfg["clip"] = {n: list(r) for n, r in ranges.items()}
    clipped = photo_model.build(cfg, seed=config["seed"])
    clipped.set_weights(model.get_weights())
    return clipped
