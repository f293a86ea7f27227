"""Convolutional recurrent network (CRN) over the noisy log power spectrum: a magnitude mask.

Layout (sizes from ``config["model"]``, defaults below)::

    x [T, 513, 1]
    encoder: conv (kt x kf, stride 2 over frequency, ReLU) per level,
             513 -> 257 -> 129 -> 65 -> 33 -> 17 bins, channels ``encoder``
             (``time_kernel`` 1: each frame alone; > 1: causal, history as state)
    middle:  flatten [17 * C] -> LSTM ``lstm`` units (h and c are state tensors)
             -> dense (ReLU) back to [17, C]
    decoder: sub-pixel upsample (kt x kf) to the previous level's bins and channels, plus that
             encoder level's output (additive skip), per level
    mask:    sub-pixel upsample to 513 bins (voice_mask.mask_head): 1 channel, sigmoid, or with
             ``"mask": "complex"`` 2 channels, 2 * tanh (real and imaginary parts)

Causal: the LSTM runs forward in time and the convolutions see no future frame, so the
algorithmic latency is the STFT's 20 ms.
"""

from __future__ import annotations

from .voice_mask import mask_head

DEFAULT_MODEL = {"encoder": [8, 12, 16, 24, 32], "time_kernel": 1, "freq_kernel": 3, "lstm": 96}


def forward(b, x, model_config: dict):
    from keras import layers

    m = {**DEFAULT_MODEL, **model_config}
    kt, kf = m["time_kernel"], m["freq_kernel"]
    skips = []
    h = x
    for i, c in enumerate(m["encoder"]):
        skips.append(h)
        h = b.causal_conv(f"enc{i + 1}", h, c, (kt, kf), stride_f=2)
    f, c = int(h.shape[2]), int(h.shape[3])
    flat = layers.Reshape((-1, f * c))(h)
    mid = b.dense("mid_out", b.lstm("lstm", flat, m["lstm"]), f * c, activation="relu")
    h = layers.Add()([h, layers.Reshape((-1, f, c))(mid)])
    for i in range(len(m["encoder"]) - 1, 0, -1):
        skip = skips[i]
        h = layers.Add()([skip, b.upsample(f"dec{i + 1}", h, int(skip.shape[-1]), (kt, kf), int(skip.shape[2]))])
    return mask_head(b, h, (kt, kf), int(x.shape[2]), model_config)
