"""Quantization-aware fine-tuning of the photo denoiser: the ranges its int8 twin rounds to.

Post-training int8 leaves a roughly constant error (about 2.4/255 RMS on colour photos) that
builds up along the residual stream: every one of the ~20 stored tensors is rounded to 256
levels of a range set by the strongest inputs, and the rounding of each block passes to all the
later ones. It costs most at low noise, where the float output is best. A stage that trains the
network *through* that rounding (``train.quantization_aware`` in a config, run by
:mod:`training.train_photo`) lets it learn weights whose int8 rounding hurts less.

The twin (``photo_model.build(..., fake_quant=ranges)``) rounds each convolution's kernel as the
converter stores it and each stored tensor to a fixed range. Those ranges come from the
starting weights on calibration crops: the inputs at [0, 1] (their 8-bit code); with
``train.quant_percentile`` p the residual stream and the blocks' second convolutions at their
``100 - p`` / ``p`` percentiles (the rest at min/max: :func:`whole_range_points`), otherwise
as post-training export would measure them (the residual stream at ``export.clip_percentile``,
the rest at min/max). They stay fixed during the stage and are kept in its state; the int8
export of such a stage clips every tensor to exactly those ranges before calibrating
(:func:`export_ranges`), so the file rounds as the twin trained to.
"""

from __future__ import annotations

import numpy as np

from . import photo_int8, photo_model

# The int8 inputs are the 8-bit code: image and noise level in [0, 1] at 1/255 per step.
INPUT_RANGE = [0.0, 1.0]


def whole_range_points(cfg: dict) -> list[str]:
    """The tensors that keep their min/max range even under ``quant_percentile``. The predicted
    noise and the output: their extremes are the strongest noise the network removes, not
    outliers, and clipping them left noise spots (at sigma 50, 1012 pixels of 8 val crops off
    float32 by more than 16/255, up to 80/255, with the predicted noise clipped at its 99.99th
    percentiles; 4 pixels without). The ReLU outputs inside the blocks: rounded at min/max they
    add little error (0.15/255 RMS of the model's 1.6 on colour crops at sigma 15, measured with
    the twin), clipped at the 99.99th percentile 0.77/255."""
    return [f"block{i}_a" for i in range(cfg["blocks"])] + ["noise", photo_model.OUTPUT_NAME]


def quant_ranges(model, config: dict, calibration: list) -> dict[str, list[float]]:
    """{point: [lo, hi]} for every point of :func:`photo_model.quant_points`, measured with
    ``model`` (the float network) on ``calibration`` (pairs of image, noise-level map)."""
    import keras

    cfg = config["model"]
    everywhere = config["train"].get("quant_percentile")
    if everywhere is not None:
        inner = [p for p in photo_model.quant_points(cfg)
                 if p not in photo_model.INPUT_NAMES and p not in whole_range_points(cfg)]
        ranges = photo_int8.activation_ranges(model, cfg, calibration, everywhere, inner)
    elif (percentile := config["export"].get("clip_percentile")) is not None:
        ranges = photo_int8.activation_ranges(model, cfg, calibration, percentile)
    else:
        ranges = {}
    measured = [p for p in photo_model.quant_points(cfg)
                if p not in photo_model.INPUT_NAMES and p not in ranges]
    if measured:
        probe = keras.Model(model.inputs, [model.get_layer(p).output for p in measured])
        lo = {p: 0.0 for p in measured}
        hi = {p: 0.0 for p in measured}
        for image, level in calibration:
            outputs = probe({"image": image, "noise_level": level}, training=False)
            for p, t in zip(measured, outputs):
                t = np.asarray(t)
                lo[p], hi[p] = min(lo[p], float(t.min())), max(hi[p], float(t.max()))
        for p in measured:
            ranges[p] = [lo[p], hi[p]]
    for p in photo_model.INPUT_NAMES:
        ranges[p] = list(INPUT_RANGE)
    return {p: ranges[p] for p in photo_model.quant_points(cfg)}


def export_ranges(state: dict) -> dict[str, list[float]]:
    """The clip ranges for the int8 export of a quantization-aware stage: every stored tensor
    after the inputs, at the range the twin rounded it to."""
    return {p: r for p, r in state["quant_ranges"].items() if p not in photo_model.INPUT_NAMES}


def twin(model, config: dict, ranges: dict):
    """The fake-quant copy of ``model`` (same weights) that rounds as the int8 file does."""
    quantized = photo_model.build(config["model"], seed=config["seed"], fake_quant=ranges)
    quantized.set_weights(model.get_weights())
    return quantized


def load_checkpoint(config: dict, state: dict, path) -> object:
    """The plain (float) network with the weights of a training checkpoint at ``path``. A
    quantization-aware stage saves its twin, whose layers Keras cannot load into the plain
    network by name, so the weights go through the twin (same variables, same order)."""
    model = photo_model.build(config["model"], seed=config["seed"])
    if config["train"].get("quantization_aware"):
        trained = twin(model, config, state["quant_ranges"])
        trained.load_weights(path)
        model.set_weights(trained.get_weights())
    else:
        model.load_weights(path)
    return model
