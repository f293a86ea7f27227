"""RNNoise-style recurrent gain model over feature version 1 (one file; variants by config).

Per 10 ms frame: 42 features (``FeatureExtractor``) in, 22 band gains and a voice activity
probability out, both sigmoid. Layout (sizes from ``config["model"]``; defaults are
RNNoise 2018's, Valin, "A Hybrid DSP/Deep Learning Approach to Real-Time Full-Band Speech
Enhancement")::

    x (42) -> (x - mean) / std (fixed, from the training frames) = x
    x -> dense (24, tanh) = d ;  b = clip(x / 3, -1, 1) (bounded_skip, see below; else b = x)
    d -> GRU vad (24)            = v ;  v -> dense (1, sigmoid) = vad
    [d, v, b] -> GRU noise (48)  = n
    [v, n, b] -> GRU denoise (96) = s ;  s -> dense (22, sigmoid) = gains

Every GRU is ``reset_after=False`` (RNNoise's formulation) and causal by construction.
Two deliberate differences from RNNoise, both for int8: the GRU activation is ``tanh``
(RNNoise uses ReLU), which keeps every recurrent state in [-1, 1]; and with ``bounded_skip``
(default) the features that skip into the noise and denoise GRUs are ``clip(x/3, -1, 1)`` of
the normalised features rather than the features themselves (the input dense layer still
sees them unclipped). An int8 CONCATENATION shares one scale between its inputs and its
output, and the state outputs are those concatenations' inputs: unbounded features (about
±4 after normalisation) quantised the states in [-1, 1] with ~1/4 of the levels (state scale
0.030 instead of 0.0078; the int8 gain error halved on a smoke test). ``tanh`` as the bound
does not convert: the quantiser rejects the concatenation of two fixed-scale TANH outputs.
No parameters or MACs are added.

Two graphs share the same ``GRUCell`` objects, hence the same weights:

* :func:`build` ``["sequence"]``: ``[B, T, 42] -> {"gains": [B, T, 22], "vad": [B, T, 1]}``
  for training (``keras.layers.RNN`` over each cell);
* :func:`build` ``["stream"]``: one frame, states as named inputs and outputs
  (``features``, ``vad_state``, ``noise_state``, ``denoise_state`` ->
  ``gains``, ``vad``, ``vad_state_out``, ``noise_state_out``, ``denoise_state_out``), no loop
  in the graph, for TensorFlow Lite.

The counting and loss functions at the top are pure numpy (tests run them without
TensorFlow); everything that needs TensorFlow imports it inside the function.
"""

from __future__ import annotations

import numpy as np

FEATURE_COUNT = 42
BANDS = 22
FRAMES_PER_SECOND = 100  # 48 kHz, hop 480
STATE_NAMES = ("vad_state", "noise_state", "denoise_state")

DEFAULT_MODEL = {"input_dense": 24, "vad_gru": 24, "noise_gru": 48, "denoise_gru": 96,
                 "gru_activation": "tanh", "bounded_skip": True}


def layer_shapes(model_config: dict) -> list[tuple[str, str, int, int]]:
    """(name, kind, inputs, units) of every weighted layer, in graph order."""
    m = {**DEFAULT_MODEL, **model_config}
    d, v, n, s = m["input_dense"], m["vad_gru"], m["noise_gru"], m["denoise_gru"]
    return [
        ("input_dense", "dense", FEATURE_COUNT, d),
        ("vad_gru", "gru", d, v),
        ("vad_out", "dense", v, 1),
        ("noise_gru", "gru", d + v + FEATURE_COUNT, n),
        ("denoise_gru", "gru", v + n + FEATURE_COUNT, s),
        ("gain_out", "dense", s, BANDS),
    ]


def count_params(model_config: dict) -> int:
    """Trainable parameters. Dense: ``i*u + u``; GRU with ``reset_after=False``:
    ``3*(i*u + u*u + u)`` (update, reset and candidate gates, one bias each)."""
    total = 0
    for _, kind, i, u in layer_shapes(model_config):
        total += i * u + u if kind == "dense" else 3 * (i * u + u * u + u)
    return total


def macs_per_frame(model_config: dict) -> int:
    """Multiply-accumulates of the matrix products per frame (dense ``i*u``; GRU
    ``3*(i*u + u*u)``); element-wise gate arithmetic and activations are not counted."""
    total = 0
    for _, kind, i, u in layer_shapes(model_config):
        total += i * u if kind == "dense" else 3 * (i * u + u * u)
    return total


def macs_per_second(model_config: dict) -> int:
    return macs_per_frame(model_config) * FRAMES_PER_SECOND


def gain_loss_np(target: np.ndarray, predicted: np.ndarray, quartic_weight: float = 10.0,
                 eps: float = 1e-7) -> float:
    """RNNoise's gain loss, masked: with ``d = sqrt(ĝ) - sqrt(g)``, the mean of
    ``d² + quartic_weight·d⁴`` over the entries whose target is defined (``g >= 0``; the
    features code writes -1 where a band is silent in both signals). The square root
    compresses the gains the way loudness perception does; the quartic term punishes large
    errors (audible distortion or leftover noise) harder. 0 when nothing is defined."""
    target = np.asarray(target, np.float64)
    predicted = np.asarray(predicted, np.float64)
    mask = target >= 0
    d = np.sqrt(np.maximum(predicted, eps)) - np.sqrt(np.maximum(target, 0.0))
    per = d * d + quartic_weight * d ** 4
    return float(np.sum(per * mask) / max(np.sum(mask), 1))


# RNNoise's band centres: Opus/CELT's 5 ms band edges in units of 200 Hz (BandLayout.java).
EBAND_5MS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 34, 40, 48, 60, 78, 100)
FFT_SIZE = 1024
ENERGY_FLOOR = 1e-10  # FeatureExtractor.ENERGY_FLOOR: features 0-21 are the DCT of log10(E + floor)


def band_widths(sample_rate: int = 48000, fft_size: int = FFT_SIZE) -> np.ndarray:
    """Width in bins of each of the 22 triangular bands, as ``BandLayout`` lays them out: band
    ``b`` rises from centre ``b-1`` to its centre and falls to centre ``b+1``; the last band
    also takes every bin above its centre. Band energies are weighted *means* of per-bin power,
    so a band's share of the frame's energy is ``width · E_b``."""
    bins = fft_size // 2 + 1
    centres = [round(200.0 * e / (sample_rate / fft_size)) for e in EBAND_5MS]
    widths = np.zeros(len(centres))
    for b in range(len(centres) - 1):
        for k in range(centres[b], centres[b + 1]):
            f = (k - centres[b]) / (centres[b + 1] - centres[b])
            widths[b] += 1 - f
            widths[b + 1] += f
    widths[-1] += bins - centres[-1]
    return widths


def dct_matrix(n: int = BANDS) -> np.ndarray:
    """The orthonormal DCT-II matrix ``M`` of ``FeatureExtractor.orthonormalDct``
    (``c = M L``); being orthonormal, its transpose inverts it: ``L = c @ M`` on row vectors."""
    i = np.arange(n)[:, None]
    b = np.arange(n)[None, :]
    return np.sqrt(np.where(i == 0, 1.0, 2.0) / n) * np.cos(np.pi * (b + 0.5) * i / n)


def band_amplitudes(features: np.ndarray) -> np.ndarray:
    """``sqrt(width_b · E_b)`` of the *noisy* input per frame and band, recovered from the
    features (0-21 are the orthonormal DCT of ``log10(E_b + 1e-10)``): the band magnitudes a
    gain multiplies, weighted so that their squares add up to the frame's energy."""
    cepstrum = np.asarray(features, np.float64)[..., :BANDS]
    energy = np.maximum(10.0 ** (cepstrum @ dct_matrix()) - ENERGY_FLOOR, 0.0)
    return np.sqrt(energy * band_widths()).astype(np.float32)


def band_sdr_loss_np(target: np.ndarray, amplitude: np.ndarray, predicted: np.ndarray,
                     max_db: float = 30.0, eps: float = 1e-12) -> float:
    """Negative signal-to-distortion ratio in dB of the band magnitudes, per sequence, averaged
    over the batch: the waveform-level term the gain loss lacks. With ``a`` the noisy band
    amplitudes (:func:`band_amplitudes`), the clean band magnitude is ``g·a`` and the output's
    is ``ĝ·a``; over a sequence's defined bands (``g >= 0``)::

        loss = 10 log10((Σ ((ĝ - g)·a)² + τ Σ (g·a)²) / Σ (g·a)²),  τ = 10^(-max_db/10)

    The gain loss weighs every band and frame alike, so removing a loud vowel costs what removing
    a band of silence does; this term weighs each error by the energy it takes from (or leaves in)
    the output, as SI-SDR and STOI do, and ``τ`` caps the reward at ``max_db`` so that nearly
    clean sequences do not dominate. Arrays are ``[B, T, 22]`` (or ``[T, 22]``: one sequence)."""
    g = np.asarray(target, np.float64)
    a = np.asarray(amplitude, np.float64)
    p = np.asarray(predicted, np.float64)
    if g.ndim == 2:
        g, a, p = g[None], a[None], p[None]
    mask = g >= 0
    clean = np.where(mask, np.maximum(g, 0.0) * a, 0.0)
    err = np.where(mask, (p - np.maximum(g, 0.0)) * a, 0.0)
    sig = np.sum(clean ** 2, axis=(1, 2))
    dist = np.sum(err ** 2, axis=(1, 2))
    tau = 10.0 ** (-max_db / 10.0)
    return float(np.mean(10.0 * np.log10((dist + tau * sig + eps) / (sig + eps))))


def vad_loss_np(target: np.ndarray, predicted: np.ndarray, eps: float = 1e-7) -> float:
    """Binary cross-entropy weighted by ``2·|v - 0.5|`` (RNNoise's VAD weighting): frames whose
    target is uncertain (the linear ramp between -60 and -50 dB) count less, 0.5 not at all."""
    v = np.asarray(target, np.float64)
    p = np.clip(np.asarray(predicted, np.float64), eps, 1 - eps)
    w = 2.0 * np.abs(v - 0.5)
    return float(np.mean(w * -(v * np.log(p) + (1 - v) * np.log(1 - p))))


def gain_loss_tf(quartic_weight: float = 10.0, eps: float = 1e-7):
    """TensorFlow version of :func:`gain_loss_np` (same math), as a Keras loss."""
    import tensorflow as tf

    def gain_loss(y_true, y_pred):
        mask = tf.cast(y_true >= 0, y_pred.dtype)
        d = tf.sqrt(tf.maximum(y_pred, eps)) - tf.sqrt(tf.maximum(y_true, 0.0))
        d2 = d * d
        per = d2 + quartic_weight * d2 * d2
        return tf.reduce_sum(per * mask) / tf.maximum(tf.reduce_sum(mask), 1.0)

    return gain_loss


def vad_loss_tf(eps: float = 1e-7):
    """TensorFlow version of :func:`vad_loss_np`, as a Keras loss."""
    import tensorflow as tf

    def vad_loss(y_true, y_pred):
        p = tf.clip_by_value(y_pred, eps, 1 - eps)
        w = 2.0 * tf.abs(y_true - 0.5)
        return tf.reduce_mean(w * -(y_true * tf.math.log(p) + (1 - y_true) * tf.math.log(1 - p)))

    return vad_loss


def band_sdr_loss_tf(max_db: float = 30.0, eps: float = 1e-12):
    """TensorFlow version of :func:`band_sdr_loss_np` as a Keras loss on the ``band_sdr``
    output: ``y_true`` is ``[B, T, 44]``, the target gains then the noisy band amplitudes."""
    import tensorflow as tf

    tau = 10.0 ** (-max_db / 10.0)

    def band_sdr_loss(y_true, y_pred):
        g = y_true[..., :BANDS]
        a = y_true[..., BANDS:]
        mask = tf.cast(g >= 0, y_pred.dtype)
        gt = tf.maximum(g, 0.0)
        sig = tf.reduce_sum(tf.square(gt * a) * mask, axis=[1, 2])
        dist = tf.reduce_sum(tf.square((y_pred - gt) * a) * mask, axis=[1, 2])
        ratio = (dist + tau * sig + eps) / (sig + eps)
        return tf.reduce_mean(10.0 * tf.math.log(ratio) / tf.math.log(10.0))

    return band_sdr_loss


def build(model_config: dict, feature_mean, feature_std, seed: int = 0,
          band_sdr_output: bool = False) -> dict:
    """Builds the layers once and returns ``{"sequence": keras.Model, "stream": keras.Model,
    "states": keras.Model}`` sharing them. With ``band_sdr_output`` the sequence graph has a
    third output, ``band_sdr``: the gains again (no weights), for :func:`band_sdr_loss_tf`. ``states`` maps a feature sequence to the three GRU
    output sequences (the state after each frame), used to calibrate int8 with real states.

    ``feature_mean`` and ``feature_std`` (42 each, from the training frames) are frozen into a
    first normalisation layer, so the models take the raw features the Java code writes."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    m = {**DEFAULT_MODEL, **model_config}
    act = m["gru_activation"]
    std = np.maximum(np.asarray(feature_std, np.float32), 1e-3)
    # Rescaling with per-feature vectors broadcasts over [1, 42] and [B, T, 42] alike (a
    # Normalization layer built on the sequence graph would add a time axis to one frame).
    mean = np.asarray(feature_mean, np.float32)
    normalize = layers.Rescaling(scale=1.0 / std, offset=-mean / std, name="feature_norm")
    input_dense = layers.Dense(m["input_dense"], activation="tanh", name="input_dense")
    vad_cell = layers.GRUCell(m["vad_gru"], activation=act, reset_after=False, name="vad_gru")
    noise_cell = layers.GRUCell(m["noise_gru"], activation=act, reset_after=False, name="noise_gru")
    denoise_cell = layers.GRUCell(m["denoise_gru"], activation=act, reset_after=False, name="denoise_gru")
    vad_out = layers.Dense(1, activation="sigmoid", name="vad_out")
    gain_out = layers.Dense(BANDS, activation="sigmoid", name="gain_out")

    # Sequence graph.
    x = keras.Input((None, FEATURE_COUNT), name="features")
    skip_scale = layers.Rescaling(1.0 / 3.0, name="skip_scale")
    skip_clip = layers.Activation(lambda t: keras.ops.clip(t, -1.0, 1.0), name="skip_clip")
    bounded = (lambda t: skip_clip(skip_scale(t))) if m["bounded_skip"] else (lambda t: t)
    xn = normalize(x)
    d = input_dense(xn)
    xn_skip = bounded(xn)
    v = layers.RNN(vad_cell, return_sequences=True, name="vad_rnn")(d)
    n = layers.RNN(noise_cell, return_sequences=True, name="noise_rnn")(
        layers.Concatenate(name="noise_in")([d, v, xn_skip]))
    s = layers.RNN(denoise_cell, return_sequences=True, name="denoise_rnn")(
        layers.Concatenate(name="denoise_in")([v, n, xn_skip]))
    gains = gain_out(s)
    outputs = {"gains": gains, "vad": vad_out(v)}
    if band_sdr_output:
        outputs["band_sdr"] = layers.Identity(name="band_sdr")(gains)
    sequence = keras.Model(x, outputs, name="voice_sequence")
    states = keras.Model(x, [v, n, s], name="voice_states")

    # One-frame graph over the same cells.
    xf = keras.Input((FEATURE_COUNT,), batch_size=1, name="features")
    hv = keras.Input((m["vad_gru"],), batch_size=1, name="vad_state")
    hn = keras.Input((m["noise_gru"],), batch_size=1, name="noise_state")
    hs = keras.Input((m["denoise_gru"],), batch_size=1, name="denoise_state")
    xfn = normalize(xf)
    df = input_dense(xfn)
    xfn_skip = bounded(xfn)
    vf, _ = vad_cell(df, hv)
    nf, _ = noise_cell(layers.Concatenate()([df, vf, xfn_skip]), hn)
    sf, _ = denoise_cell(layers.Concatenate()([vf, nf, xfn_skip]), hs)
    stream = keras.Model([xf, hv, hn, hs],
                         {"gains": gain_out(sf), "vad": vad_out(vf), "vad_state_out": vf,
                          "noise_state_out": nf, "denoise_state_out": sf}, name="voice_stream")
    return {"sequence": sequence, "stream": stream, "states": states}


def state_sizes(model_config: dict) -> dict:
    m = {**DEFAULT_MODEL, **model_config}
    return {"vad_state": m["vad_gru"], "noise_state": m["noise_gru"], "denoise_state": m["denoise_gru"]}
