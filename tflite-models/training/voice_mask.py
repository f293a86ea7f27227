"""What the spectral-mask voice models share: graph building, loss, counting and export.

The architectures (:mod:`training.voice_unet`, :mod:`training.voice_crn`) are each one
function ``forward(builder, x, model_config) -> mask`` over ``x = [B, T, 513, 1]`` (normalised
``ln(power + 1e-8)`` per bin; ``T = 1`` in the streaming graph). :func:`build` runs that
function twice over one set of layers:

* ``"sequence"``: ``spectrum [B, T, 513] -> mask [B, T, 513]``, for training;
* ``"stream"``: one 10 ms frame, ``spectrum [1, 513]`` plus every state input ``[1, n]`` ->
  ``mask [1, 513]`` plus ``<state>_out [1, n]``, for TensorFlow Lite
  (``/work/notes/mask_contract.md``; no loop in the graph, state as explicit tensors).

Time is causal by construction. :meth:`GraphBuilder.causal_conv` gives a convolution over
(time, frequency) whose time kernel covers the current frame and ``(kt - 1) * dilation``
past frames: the sequence graph zero-pads that many frames in front of the sequence, the
stream graph concatenates a history state (the last frames of the layer's input, zeros at
stream start) in front of the one frame and hands the newest frames back as ``<name>_hist_out``.
Both compute the same numbers. :meth:`GraphBuilder.lstm` carries ``h`` and ``c`` likewise.
Upsampling in the decoders is sub-pixel: a stride-1 convolution to ``2 * C`` channels
reshaped to twice the bins (the same map as a stride-2 transposed convolution, with only
CONV_2D and RESHAPE in the graph), cropped to the skip connection's bin count.

Loss (:func:`compressed_mse_tf`, :func:`compressed_mse_np`): mean over frames and bins of
``(m^0.3 |X|^0.3 - |S|^0.3)^2``, the compressed-magnitude error of the masked noisy spectrum
against the clean target.

Mask kinds (``model_config["mask"]``, default ``"magnitude"``; :func:`mask_head` is the output
head every architecture ends with):

* ``"magnitude"``: one channel, sigmoid: ``mask`` in [0, 1] on the noisy bin (noisy phase);
* ``"complex"``: two channels, each ``2 * tanh`` (so ``|mask_re|, |mask_im| <= 2`` and
  ``|M| <= 2 sqrt 2``): the clean estimate is ``(mask_re + i mask_im) * X``. Its loss
  (:func:`complex_compressed_mse_tf`, :func:`complex_compressed_mse_np`) is the compressed
  complex MSE ``0.3 * mean |c(M X) - c(S)|^2 + 0.7 * mean (|M X|^0.3 - |S|^0.3)^2`` with
  ``c(Z) = |Z|^0.3 e^{i angle Z}`` (the power-law compressed magnitude with the estimate's own
  phase against the clean target's): the first term scores phase, the second is the
  magnitude loss above, and when the estimate has the target's phase the two terms are equal.
  The data cache holds ``c(X)`` and ``c(S)`` (real and imaginary parts), and
  ``c(M X) = c(M) c(X)``, so the loss needs no uncompressed spectrum.
"""

from __future__ import annotations

import numpy as np

from .voice_stft import BINS, HOP, SAMPLE_RATE

FRAMES_PER_SECOND = SAMPLE_RATE // HOP
COMPRESSION = 0.3
MASK_FLOOR = 1e-7
MASK_KINDS = ("magnitude", "complex")
COMPLEX_BOUND = 2.0  # |mask_re|, |mask_im| <= 2 (2 * tanh)
COMPLEX_WEIGHT = 0.3  # weight of the complex term; 1 - COMPLEX_WEIGHT on the magnitude term
COMPLEX_EPS = 1e-12  # added to |M|^2 before the power law (a finite gradient at M = 0)
# Cached arrays each loss reads besides the model input ``lnp`` (training.voice_mask_data).
LOSS_ARRAYS = {"magnitude": ("xc", "sc"), "complex": ("xcr", "xci", "scr", "sci")}
MASK_OUTPUTS = {"magnitude": ("mask",), "complex": ("mask_re", "mask_im")}


def mask_kind(model_config: dict) -> str:
    kind = model_config.get("mask", "magnitude")
    if kind not in MASK_KINDS:
        raise ValueError(f"model mask {kind!r}; known: {list(MASK_KINDS)}")
    return kind


# ---------------------------------------------------------------------------- loss


def compressed_mse_np(mask: np.ndarray, xc: np.ndarray, sc: np.ndarray) -> float:
    """``mean((max(m, 1e-7)^0.3 * xc - sc)^2)`` with ``xc = |X|^0.3``, ``sc = |S|^0.3``."""
    m = np.maximum(np.asarray(mask, np.float64), MASK_FLOOR)
    return float(np.mean((m ** COMPRESSION * np.asarray(xc, np.float64) - np.asarray(sc, np.float64)) ** 2))


def compressed_mse_tf(mask, xc, sc):
    """TensorFlow version of :func:`compressed_mse_np` (same math)."""
    import tensorflow as tf

    est = tf.pow(tf.maximum(mask, MASK_FLOOR), COMPRESSION) * xc
    return tf.reduce_mean(tf.square(est - sc))


def complex_compressed_mse_np(mask: np.ndarray, xcc: np.ndarray, scc: np.ndarray,
                              weight: float = COMPLEX_WEIGHT) -> float:
    """Compressed complex MSE of the complex mask ``M`` with ``xcc = c(X)``, ``scc = c(S)``
    (complex arrays, ``c(Z) = |Z|^0.3 e^{i angle Z}``): ``weight * mean |c(M) xcc - scc|^2 +
    (1 - weight) * mean (|c(M)| |xcc| - |scc|)^2``, ``c(M) = M (|M|^2 + 1e-12)^-0.35``."""
    m = np.asarray(mask, np.complex128)
    p = m.real ** 2 + m.imag ** 2 + COMPLEX_EPS
    est = m * p ** ((COMPRESSION - 1) / 2) * np.asarray(xcc, np.complex128)
    scc = np.asarray(scc, np.complex128)
    return float(weight * np.mean(np.abs(est - scc) ** 2) + (1 - weight) * np.mean((np.abs(est) - np.abs(scc)) ** 2))


def complex_compressed_mse_tf(mask_re, mask_im, xcr, xci, scr, sci, weight: float = COMPLEX_WEIGHT):
    """TensorFlow version of :func:`complex_compressed_mse_np` on real and imaginary parts."""
    import tensorflow as tf

    p = tf.square(mask_re) + tf.square(mask_im) + COMPLEX_EPS
    g = tf.pow(p, (COMPRESSION - 1) / 2)
    cr, ci = mask_re * g, mask_im * g
    er, ei = cr * xcr - ci * xci, cr * xci + ci * xcr
    complex_term = tf.reduce_mean(tf.square(er - scr) + tf.square(ei - sci))
    mag_est = tf.pow(p, COMPRESSION / 2) * tf.sqrt(tf.square(xcr) + tf.square(xci))
    mag_term = tf.reduce_mean(tf.square(mag_est - tf.sqrt(tf.square(scr) + tf.square(sci))))
    return weight * complex_term + (1 - weight) * mag_term


def loss_tf(kind: str, output, arrays: dict):
    """The training loss of a sequence model's ``output`` (``[B, T, 513]`` magnitude mask or
    ``[B, T, 513, 2]`` real/imaginary parts) against the cached ``arrays`` of its kind."""
    if kind == "complex":
        return complex_compressed_mse_tf(output[..., 0], output[..., 1], *(arrays[k] for k in LOSS_ARRAYS[kind]))
    return compressed_mse_tf(output, arrays["xc"], arrays["sc"])


def loss_np(kind: str, mask: np.ndarray, arrays: dict) -> float:
    """:func:`loss_tf` in numpy; ``mask`` real (magnitude) or complex ``[..., 513]``."""
    a = {k: np.asarray(arrays[k], np.float32) for k in LOSS_ARRAYS[kind]}
    if kind == "complex":
        return complex_compressed_mse_np(mask, a["xcr"] + 1j * a["xci"], a["scr"] + 1j * a["sci"])
    return compressed_mse_np(mask, a["xc"], a["sc"])


def as_mask(kind: str, output: np.ndarray) -> np.ndarray:
    """A sequence model's output as the mask: real ``[..., 513]`` or complex ``re + i im``."""
    output = np.asarray(output)
    return output[..., 0] + 1j * output[..., 1] if kind == "complex" else output


# ---------------------------------------------------------------------------- graph


class GraphBuilder:
    """Creates layers on first use (by name) and reuses them when the other graph asks for
    the same name; records the state tensors of the streaming graph."""

    def __init__(self, mode: str, cache: dict):
        if mode not in ("sequence", "stream"):
            raise ValueError(f"mode {mode!r}")
        self.mode = mode
        self.cache = cache
        self.states = []  # (name, size, input tensor, output tensor)

    def layer(self, name: str, factory):
        if name not in self.cache:
            self.cache[name] = factory()
        return self.cache[name]

    @staticmethod
    def _state(name: str, size: int):
        """A state input of the one-frame graph: ``[1, size]``, named as the contract's tensor."""
        import keras

        return keras.Input((size,), batch_size=1, name=name)

    def causal_conv(self, name: str, x, filters: int, kernel: tuple[int, int], stride_f: int = 1,
                    dilation_t: int = 1, activation: str | None = "relu"):
        """Convolution over (time, frequency) of ``x [B, T, F, C]``; frequency zero-padded by
        ``kf // 2`` each side (so stride 2 maps 513 -> 257 -> 129 ...), time causal."""
        from keras import layers

        kt, kf = kernel
        hist = (kt - 1) * dilation_t
        conv = self.layer(name, lambda: layers.Conv2D(
            filters, (kt, kf), strides=(1, stride_f), dilation_rate=(dilation_t, 1), padding="valid",
            activation=activation, name=name))
        pad_f = kf // 2
        if self.mode == "sequence":
            return conv(layers.ZeroPadding2D(((hist, 0), (pad_f, pad_f)))(x))
        if hist:
            f, c = int(x.shape[2]), int(x.shape[3])
            size = hist * f * c
            state = self._state(f"{name}_hist", size)
            full = layers.Concatenate(axis=1)([layers.Reshape((hist, f, c))(state), x])
            newest = layers.Reshape((size,))(layers.Cropping2D(((1, 0), (0, 0)))(full))
            self.states.append((f"{name}_hist", size, state, newest))
            x = full
        return conv(layers.ZeroPadding2D(((0, 0), (pad_f, pad_f)))(x))

    def upsample(self, name: str, x, filters: int, kernel: tuple[int, int], bins: int,
                 activation: str | None = "relu"):
        """Sub-pixel upsampling over frequency: ``[B, T, F, C] -> [B, T, bins, filters]``
        (``bins <= 2F``), the convolution causal in time as :meth:`causal_conv`."""
        from keras import layers

        y = self.causal_conv(name, x, 2 * filters, kernel, activation=activation)
        f = int(y.shape[2])
        if not f < bins <= 2 * f:
            raise ValueError(f"{name}: cannot upsample {f} bins to {bins}")
        y = layers.Reshape((-1, 2 * f, filters))(y)
        return layers.Cropping2D(((0, 0), (0, 2 * f - bins)))(y) if 2 * f > bins else y

    def lstm(self, name: str, x, units: int):
        """LSTM over time of ``x [B, T, D]`` (stream: ``[1, 1, D]``, states ``<name>_h``, ``<name>_c``)."""
        from keras import layers

        cell = self.layer(name, lambda: layers.LSTMCell(units, name=name))
        if self.mode == "sequence":
            return layers.RNN(cell, return_sequences=True, name=f"{name}_rnn")(x)
        h, c = self._state(f"{name}_h", units), self._state(f"{name}_c", units)
        y, (h2, c2) = cell(layers.Reshape((int(x.shape[-1]),))(x), [h, c])
        self.states += [(f"{name}_h", units, h, h2), (f"{name}_c", units, c, c2)]
        return layers.Reshape((1, units))(y)

    def dense(self, name: str, x, units: int, activation: str | None = None):
        from keras import layers

        return self.layer(name, lambda: layers.Dense(units, activation=activation, name=name))(x)


def mask_head(b: GraphBuilder, h, kernel: tuple[int, int], bins: int, model_config: dict):
    """The output head every architecture ends with: sub-pixel upsampling ``dec1`` to ``bins``
    and the mask: 1 channel, sigmoid (``"magnitude"``) or 2 channels, ``2 * tanh``
    (``"complex"``: real and imaginary parts, each bounded by :data:`COMPLEX_BOUND`)."""
    from keras import layers

    if mask_kind(model_config) == "magnitude":
        return b.upsample("dec1", h, 1, kernel, bins, activation="sigmoid")
    y = b.upsample("dec1", h, 2, kernel, bins, activation="tanh")
    return b.layer("mask_scale", lambda: layers.Rescaling(COMPLEX_BOUND, name="mask_scale"))(y)


def build(forward, model_config: dict, mean, std, seed: int = 0) -> dict:
    """``{"sequence", "stream": keras.Model, "state_names": [...], "state_sizes": {name: n},
    "mask": kind}`` sharing one set of weights. Sequence output ``[B, T, 513]`` (magnitude) or
    ``[B, T, 513, 2]`` (complex: real, imaginary); stream outputs ``mask`` or ``mask_re`` and
    ``mask_im`` (``[1, 513]``) plus the states. ``mean``/``std`` (513 each, of the training ``ln`` power) are
    frozen into the first layer, so both graphs take the contract's raw input."""
    import keras
    from keras import layers

    kind = mask_kind(model_config)
    keras.utils.set_random_seed(seed)
    std = np.maximum(np.asarray(std, np.float32), 1e-3)
    mean = np.asarray(mean, np.float32)
    cache = {"norm": layers.Rescaling(scale=1.0 / std, offset=-mean / std, name="spectrum_norm")}

    x = keras.Input((None, BINS), name="spectrum")
    seq = GraphBuilder("sequence", cache)
    m = forward(seq, layers.Reshape((-1, BINS, 1))(cache["norm"](x)), model_config)
    sequence = keras.Model(x, m if kind == "complex" else layers.Reshape((-1, BINS))(m), name="mask_sequence")

    xs = keras.Input((BINS,), batch_size=1, name="spectrum")
    st = GraphBuilder("stream", cache)
    ms = forward(st, layers.Reshape((1, BINS, 1))(cache["norm"](xs)), model_config)
    if kind == "complex":
        parts = layers.Reshape((BINS, 2))(ms)
        outputs = {"mask_re": layers.Reshape((BINS,))(parts[..., 0]),
                   "mask_im": layers.Reshape((BINS,))(parts[..., 1])}
    else:
        outputs = {"mask": layers.Reshape((BINS,))(ms)}
    outputs.update({f"{name}_out": out for name, _, _, out in st.states})
    stream = keras.Model([xs] + [t for _, _, t, _ in st.states], outputs, name="mask_stream")
    return {"sequence": sequence, "stream": stream, "state_names": [n for n, _, _, _ in st.states],
            "state_sizes": {n: s for n, s, _, _ in st.states}, "mask": kind}


# ---------------------------------------------------------------------------- counting


def count_params(model) -> int:
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


def layer_macs(layer, input_shape, output_shape) -> int:
    """Multiply-accumulates of one call of a weighted layer (batch 1; biases, activations and
    gate arithmetic not counted): convolution ``outputs * kt * kf * C_in / groups``; dense
    ``kernel size * positions`` (every leading axis but the batch); LSTM and GRU cells
    ``kernel + recurrent kernel`` sizes (one step)."""
    from keras import layers

    out = [int(s) for s in output_shape[1:]]
    if isinstance(layer, (layers.Conv1D, layers.Conv2D)):
        c_in = int(input_shape[-1])
        return int(np.prod(out)) * int(np.prod(layer.kernel_size)) * c_in // int(getattr(layer, "groups", 1))
    if isinstance(layer, layers.Dense):
        return int(np.prod(out[:-1], dtype=np.int64)) * int(np.prod(layer.kernel.shape))
    if isinstance(layer, (layers.LSTMCell, layers.GRUCell)):
        return int(np.prod(layer.kernel.shape)) + int(np.prod(layer.recurrent_kernel.shape))
    if layer.trainable_weights:
        raise ValueError(f"no MAC rule for {type(layer).__name__} {layer.name}")
    return 0


def macs_per_frame(stream) -> int:
    """Walks the one-frame model's layer calls and sums :func:`layer_macs`: the MACs of one
    10 ms frame."""
    total = 0
    for nodes in stream._nodes_by_depth.values():
        for node in nodes:
            layer = node.operation
            if not getattr(layer, "trainable_weights", None):
                continue
            total += layer_macs(layer, node.input_tensors[0].shape, node.output_tensors[0].shape)
    return total


# ---------------------------------------------------------------------------- streaming


def stream_mask(out: dict) -> np.ndarray:
    """The mask of one frame's outputs: ``mask [513]`` or complex ``mask_re + i mask_im``."""
    if "mask" in out:
        return np.asarray(out["mask"])[0]
    return np.asarray(out["mask_re"])[0] + 1j * np.asarray(out["mask_im"])[0]


def keras_stream(stream, spectra: np.ndarray, state_sizes: dict) -> np.ndarray:
    """Runs the Keras one-frame model over ``spectra [T, 513]``, state fed back; masks ``[T, 513]``
    (complex for a complex mask)."""
    states = {k: np.zeros((1, n), np.float32) for k, n in state_sizes.items()}
    masks = []
    for t in range(spectra.shape[0]):
        out = stream({"spectrum": spectra[t][None].astype(np.float32), **states})
        states = {k: np.asarray(out[k + "_out"]) for k in state_sizes}
        masks.append(stream_mask(out))
    return np.array(masks)


def recorded_states(stream, spectra: np.ndarray, state_sizes: dict, frames) -> list[dict]:
    """Runs the Keras one-frame model over ``spectra`` and returns, for each frame index in
    ``frames``, the inputs it saw there (the real spectrum and the states reached): int8
    calibration samples."""
    wanted = set(int(f) for f in frames)
    states = {k: np.zeros((1, n), np.float32) for k, n in state_sizes.items()}
    samples = []
    for t in range(max(wanted) + 1):
        feed = {"spectrum": spectra[t][None].astype(np.float32), **states}
        if t in wanted:
            samples.append({k: np.array(v) for k, v in feed.items()})
        out = stream(feed)
        states = {k: np.asarray(out[k + "_out"]) for k in state_sizes}
    return samples
