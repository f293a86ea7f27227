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

``clip`` (optional, ``{layer name: [lo, hi]}``, names from the residual stream: ``head`` and
``block{i}``): those layers' outputs are clipped to those bounds (MINIMUM/MAXIMUM in the TFLite
graph). Set only on the copy the int8 export calibrates (:mod:`training.photo_int8`), so
min/max calibration stores ranges without the rare outliers; the weights are the same.
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


def build(cfg: dict, height=None, width=None, batch=None, seed: int = 0):
    """The Keras model; ``height``/``width`` fixed only for export (None trains any size)."""
    import keras
    import tensorflow as tf

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
    clippable = {"head"} | {f"block{i}" for i in range(cfg["blocks"])}
    if set(bounds) - clippable:
        raise ValueError(f"clip: {sorted(set(bounds) - clippable)} are not residual-stream layers "
                         f"({sorted(clippable)})")

    def clip(x, name):
        return Clip(*bounds[name], name=f"{name}_clip")(x) if name in bounds else x

    image = keras.Input((height, width, 3), batch_size=batch, name="image")
    level = keras.Input((height, width, 1), batch_size=batch, name="noise_level")
    x = SpaceToDepth(name="unshuffle")(keras.layers.Concatenate(name="stack")([image, level]))
    init = lambda i: keras.initializers.HeNormal(seed=seed + i)  # noqa: E731
    x = keras.layers.Conv2D(cfg["width"], 3, padding="same", kernel_initializer=init(0), name="head")(x)
    x = clip(x, "head")
    for i in range(cfg["blocks"]):
        y = keras.layers.Conv2D(cfg["width"], 3, padding="same", activation="relu",
                                kernel_initializer=init(i + 1), name=f"block{i}_a")(x)
        y = keras.layers.Conv2D(cfg["width"], 3, padding="same", kernel_initializer="zeros",
                                name=f"block{i}_b")(y)
        x = clip(keras.layers.Add(name=f"block{i}")([x, y]), f"block{i}")
    x = keras.layers.Conv2D(12, 3, padding="same", kernel_initializer="zeros", name="noise",
                            dtype="float32")(x)
    noise = DepthToSpace(name="shuffle", dtype="float32")(x)
    out = keras.layers.Subtract(name=OUTPUT_NAME, dtype="float32")([image, noise])
    return keras.Model({"image": image, "noise_level": level}, out, name="photo_denoiser")
