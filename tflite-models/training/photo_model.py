"""The photo denoiser network: FFDNet-style pixel-unshuffle DnCNN with a noise-level map.

``image`` (N, H, W, 3) in [0, 1] and ``noise_level`` (N, H, W, 1) (the noise standard
deviation in the same units, usually constant) are concatenated and rearranged 2x2 into
16 channels at half resolution (SPACE_TO_DEPTH), then ``depth`` 3x3 convolutions (``width``
channels, ReLU, no batch norm so nothing needs folding at export) predict the 12-channel
half-resolution noise, DEPTH_TO_SPACE brings it back to full resolution and it is subtracted
from the input (residual learning). The last convolution starts at zero, so the untrained
network is the identity (DESIGN.md: with default initialisation short runs stay stuck).

Working at half resolution cuts the cost per pixel by 4 against a DnCNN of the same width
and depth and doubles the receptive field. H and W must be even.

``clip`` (optional, ``{layer name: [lo, hi]}``, names from :func:`quant_points` after the two
inputs): those layers' outputs are clipped to those bounds (MINIMUM/MAXIMUM in the TFLite
graph). Set only on the copy the int8 export calibrates (:mod:`training.photo_int8`), so
min/max calibration stores ranges without the rare outliers; the weights are the same. After
post-training quantization only the residual stream (``head``, ``block{i}``) is clipped; after a
quantization-aware stage every tensor is, to the ranges that stage trained with.

``fake_quant`` (optional, ``{point: [lo, hi]}``) builds the quantization-aware twin that
:mod:`training.photo_qat` fine-tunes: every convolution's kernel is rounded as the int8 file
stores it (symmetric, per output channel, 127 steps each side) and every point named is rounded
to 256 levels over its range as the int8 graph rounds that tensor (``fake_quant_with_min_max_args``,
gradients passed straight through inside the range). Points: the inputs ``image`` and
``noise_level``, ``head``, ``block{i}_a`` (after its ReLU), ``block{i}_b``, ``block{i}`` (the
sum), ``noise`` and the output ``denoised``; all of them must be given (:func:`quant_points`).
"""

from __future__ import annotations

INPUT_NAMES = ("image", "noise_level")
OUTPUT_NAME = "denoised"


def macs_per_pixel(cfg: dict) -> float:
    """Multiply-accumulates per full-resolution pixel (convolutions only)."""
    w, b = cfg["width"], cfg["blocks"]
    per_half_pixel = 9 * (16 * w + 2 * b * w * w + w * 12)
    return per_half_pixel / 4.0


def conv_count(cfg: dict) -> int:
    return 2 * cfg["blocks"] + 2


def receptive_radius(cfg: dict) -> int:
    """Full-resolution pixels: each 3x3 conv at half resolution adds 2, the unshuffle 1."""
    return 2 * conv_count(cfg) + 1


def count_params(cfg: dict) -> int:
    w, b = cfg["width"], cfg["blocks"]
    return 9 * 16 * w + w + 2 * b * (9 * w * w + w) + 9 * w * 12 + 12


def quant_points(cfg: dict) -> list[str]:
    """The tensors the full-int8 graph stores, in graph order (see ``fake_quant``)."""
    points = [*INPUT_NAMES, "head"]
    for i in range(cfg["blocks"]):
        points += [f"block{i}_a", f"block{i}_b", f"block{i}"]
    return points + ["noise", OUTPUT_NAME]


def build(cfg: dict, height=None, width=None, batch=None, seed: int = 0, fake_quant: dict | None = None):
    """The Keras model; ``height``/``width`` fixed only for export (None trains any size)."""
    import keras
    import tensorflow as tf

    class QuantConv2D(keras.layers.Conv2D):
        """Conv2D whose kernel is rounded to int8 per output channel on the way in."""

        def convolution_op(self, inputs, kernel):
            step = tf.stop_gradient(tf.maximum(tf.reduce_max(tf.abs(kernel), axis=(0, 1, 2)), 1e-12) / 127.0)
            rounded = tf.round(kernel / step) * step
            return super().convolution_op(inputs, kernel + tf.stop_gradient(rounded - kernel))

    class FakeQuant(keras.layers.Layer):
        def __init__(self, lo, hi, **kwargs):
            super().__init__(**kwargs)
            self.lo, self.hi = float(lo), float(hi)

        def call(self, x):
            return tf.quantization.fake_quant_with_min_max_args(x, self.lo, self.hi, num_bits=8)

    class SpaceToDepth(keras.layers.Layer):
        def call(self, x):
            return tf.nn.space_to_depth(x, 2)

    class DepthToSpace(keras.layers.Layer):
        def call(self, x):
            return tf.nn.depth_to_space(x, 2)

    class Clip(keras.layers.Layer):
        def __init__(self, lo, hi, **kwargs):
            super().__init__(**kwargs)
            self.lo, self.hi = float(lo), float(hi)

        def call(self, x):
            return tf.clip_by_value(x, self.lo, self.hi)

    bounds = cfg.get("clip", {})
    clippable = quant_points(cfg)[len(INPUT_NAMES):]
    if set(bounds) - set(clippable):
        raise ValueError(f"clip: {sorted(set(bounds) - set(clippable))} are not stored tensors after the "
                         f"inputs ({clippable})")

    if fake_quant is not None:
        if bounds:
            raise ValueError("clip and fake_quant are for different copies of the model; give one")
        missing = set(quant_points(cfg)) - set(fake_quant)
        if missing or set(fake_quant) - set(quant_points(cfg)):
            raise ValueError(f"fake_quant needs exactly the points {quant_points(cfg)}; "
                             f"missing {sorted(missing)}, unknown {sorted(set(fake_quant) - set(quant_points(cfg)))}")
    Conv = QuantConv2D if fake_quant is not None else keras.layers.Conv2D

    def point(x, name):
        """A stored tensor: rounded in the fake-quant twin, clipped where ``clip`` names it."""
        if fake_quant is not None:
            return FakeQuant(*fake_quant[name], name=f"{name}_fq")(x)
        return Clip(*bounds[name], name=f"{name}_clip")(x) if name in bounds else x

    image = keras.Input((height, width, 3), batch_size=batch, name="image")
    level = keras.Input((height, width, 1), batch_size=batch, name="noise_level")
    inputs = {"image": image, "noise_level": level}
    image, level = point(image, "image"), point(level, "noise_level")
    x = SpaceToDepth(name="unshuffle")(keras.layers.Concatenate(name="stack")([image, level]))
    init = lambda i: keras.initializers.HeNormal(seed=seed + i)  # noqa: E731
    x = Conv(cfg["width"], 3, padding="same", kernel_initializer=init(0), name="head")(x)
    x = point(x, "head")
    for i in range(cfg["blocks"]):
        y = point(Conv(cfg["width"], 3, padding="same", activation="relu",
                       kernel_initializer=init(i + 1), name=f"block{i}_a")(x), f"block{i}_a")
        y = point(Conv(cfg["width"], 3, padding="same", kernel_initializer="zeros", name=f"block{i}_b")(y),
                  f"block{i}_b")
        x = point(keras.layers.Add(name=f"block{i}")([x, y]), f"block{i}")
    x = point(Conv(12, 3, padding="same", kernel_initializer="zeros", name="noise", dtype="float32")(x), "noise")
    noise = DepthToSpace(name="shuffle", dtype="float32")(x)
    out = point(keras.layers.Subtract(name=OUTPUT_NAME, dtype="float32")([image, noise]), OUTPUT_NAME)
    return keras.Model(inputs, out, name="photo_denoiser")
