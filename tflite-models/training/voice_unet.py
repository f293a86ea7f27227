"""Causal U-Net over (time, frequency) of the noisy log power spectrum: a magnitude mask.

Layout (sizes from ``config["model"]``, defaults below)::

    x [T, 513, 1]
    encoder: causal_conv (kt x kf, stride 2 over frequency, ReLU) per level
             513 -> 257 -> 129 -> 65 -> 33 -> 17 bins, channels ``encoder``
    bottleneck: causal_conv (kt x kf, stride 1, dilation d over time) per entry of
             ``bottleneck_dilations``, residual, at 17 bins
    decoder: sub-pixel upsample (kt_dec x kf) to the previous level's bins and channels,
             plus that encoder level's output (additive skip), per level
    mask:    sub-pixel upsample to 513 bins (voice_mask.mask_head): 1 channel, sigmoid, or with
             ``"mask": "complex"`` 2 channels, 2 * tanh (real and imaginary parts)

Every convolution's time kernel covers the current and past frames only (history as state
tensors in the one-frame graph, :class:`training.voice_mask.GraphBuilder`), so the model is
causal with no look-ahead: the algorithmic latency is the STFT's 20 ms. The time receptive
field is ``sum((kt - 1) * dilation)`` over the layers (``receptive_frames``).
"""

from __future__ import annotations

from .voice_mask import mask_head

DEFAULT_MODEL = {"encoder": [8, 12, 16, 24, 32], "time_kernel": 2, "freq_kernel": 3,
                 "bottleneck_dilations": [2, 4], "decoder_time_kernel": 2}


def forward(b, x, model_config: dict):
    from keras import layers

    m = {**DEFAULT_MODEL, **model_config}
    kt, kf, kd = m["time_kernel"], m["freq_kernel"], m["decoder_time_kernel"]
    skips = []
    h = x
    for i, c in enumerate(m["encoder"]):
        skips.append(h)
        h = b.causal_conv(f"enc{i + 1}", h, c, (kt, kf), stride_f=2)
    c = m["encoder"][-1]
    for j, d in enumerate(m["bottleneck_dilations"]):
        h = layers.Add()([h, b.causal_conv(f"mid{j + 1}", h, c, (kt, kf), dilation_t=d)])
    for i in range(len(m["encoder"]) - 1, 0, -1):
        skip = skips[i]
        h = layers.Add()([skip, b.upsample(f"dec{i + 1}", h, int(skip.shape[-1]), (kd, kf), int(skip.shape[2]))])
    return mask_head(b, h, (kd, kf), int(x.shape[2]), model_config)


def receptive_frames(model_config: dict) -> int:
    """Past frames each mask frame depends on (the current frame not counted)."""
    m = {**DEFAULT_MODEL, **model_config}
    levels = len(m["encoder"])
    return (levels * (m["time_kernel"] - 1) + sum((m["time_kernel"] - 1) * d for d in m["bottleneck_dilations"])
            + levels * (m["decoder_time_kernel"] - 1))
