"""Training pairs for the photo denoiser: crops of clean photos and realistic noise on them.

All images are float32 in [0, 1], shape (N, H, W, 3), sRGB-encoded. Every noisy image is
quantised to 8 bits and clipped, as a phone's or a benchmark's 8-bit file is. Noise kinds
(one per crop, drawn with ``NoiseConfig`` probabilities):

* ``gaussian``: i.i.d. N(0, sigma^2) per pixel and channel, sigma ~ U(0, sigma_max)/255.
* ``poisson_gaussian``: signal-dependent sensor noise in linear light,
  ``y = x + sqrt(a x + b^2) n`` with x the linearised sRGB value, then gamma-encoded again,
  so dark regions get more noise in the file than bright ones, as in a camera JPEG.
* ``correlated``: Gaussian noise low-passed by a Gaussian kernel (demosaicking and
  in-camera processing correlate neighbouring pixels), rescaled to the drawn sigma.
* ``chroma``: luma noise plus stronger, lower-frequency chroma (Cb/Cr) noise.

Independently, with probability ``jpeg_p`` the noisy 8-bit crop is JPEG re-compressed.
Gray crops (probability ``gray_p``): the clean crop is replaced by its luma on all three
channels and the noise is one channel replicated, so one colour network also serves
grayscale photos (fed as R = G = B).

The noise-level map the network receives is one value per crop in [0, 1] units: the nominal
sigma for ``gaussian`` (what a user or the benchmark gives as ``--sigma``), otherwise the
measured standard deviation of (noisy - clean) over the crop (what the noise estimator
reports for such a photo), capped at ``sigma_cap``.
"""

from __future__ import annotations

import dataclasses
import io

import numpy as np

KINDS = ("gaussian", "poisson_gaussian", "correlated", "chroma")
LUMA = np.array([0.299, 0.587, 0.114], np.float32)


@dataclasses.dataclass(frozen=True)
class NoiseConfig:
    sigma_max: float = 55.0  # 8-bit units
    sigma_cap: float = 75.0
    kind_p: tuple[float, ...] = (0.55, 0.2, 0.125, 0.125)  # in KINDS order
    jpeg_p: float = 0.15
    jpeg_quality: tuple[int, int] = (60, 95)
    gray_p: float = 0.35

    @staticmethod
    def from_dict(d: dict) -> "NoiseConfig":
        fields = {f.name for f in dataclasses.fields(NoiseConfig)}
        return NoiseConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items() if k in fields})


def srgb_to_linear(x: np.ndarray) -> np.ndarray:
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4).astype(np.float32)


def linear_to_srgb(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(x, 1 / 2.4) - 0.055).astype(np.float32)


def quantise8(x: np.ndarray) -> np.ndarray:
    return (np.clip(np.rint(x * 255.0), 0, 255) / 255.0).astype(np.float32)


def gaussian_blur(x: np.ndarray, s: float) -> np.ndarray:
    """Separable Gaussian low-pass over the two spatial axes of an (H, W, C) array, edges reflected."""
    from scipy.ndimage import gaussian_filter
    return gaussian_filter(x, sigma=(s, s, 0), mode="reflect").astype(np.float32)


def _unit(n: np.ndarray) -> np.ndarray:
    return n / max(float(n.std()), 1e-8)


def jpeg(x: np.ndarray, quality: int) -> np.ndarray:
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(np.clip(np.rint(x * 255), 0, 255).astype(np.uint8)).save(buf, format="JPEG", quality=int(quality))
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"), np.float32) / 255.0


def add_noise(clean: np.ndarray, rng: np.random.Generator, cfg: NoiseConfig, gray: bool,
              kind: str | None = None) -> tuple[np.ndarray, float, str]:
    """Noisy 8-bit version of one (H, W, 3) crop, its noise level (0..1 units) and its kind."""
    h, w, _ = clean.shape
    kind = kind or KINDS[rng.choice(len(KINDS), p=np.asarray(cfg.kind_p) / np.sum(cfg.kind_p))]
    if gray and kind == "chroma":
        kind = "gaussian"
    channels = 1 if gray else 3
    nominal = None
    if kind == "gaussian":
        sigma = rng.uniform(0.0, cfg.sigma_max) / 255.0
        noisy = clean + sigma * _tile(rng.standard_normal((h, w, channels), np.float32))
        nominal = sigma
    elif kind == "poisson_gaussian":
        lin = srgb_to_linear(clean)
        a = float(np.exp(rng.uniform(np.log(2e-4), np.log(2e-2))))
        b = float(np.exp(rng.uniform(np.log(5e-4), np.log(1.5e-2))))
        n = _tile(rng.standard_normal((h, w, channels), np.float32))
        noisy = linear_to_srgb(lin + np.sqrt(a * lin + b * b) * n)
    elif kind == "correlated":
        sigma = rng.uniform(2.0, cfg.sigma_max) / 255.0
        n = gaussian_blur(rng.standard_normal((h, w, channels), np.float32), rng.uniform(0.5, 1.5))
        noisy = clean + sigma * _tile(_unit(n))
    else:  # chroma
        sy = rng.uniform(2.0, 25.0) / 255.0
        sc = sy * rng.uniform(1.0, 3.0)
        ny = rng.standard_normal((h, w), np.float32)
        nc = _unit(gaussian_blur(rng.standard_normal((h, w, 2), np.float32), rng.uniform(1.0, 2.0)))
        # YCbCr (BT.601) noise back to RGB: R = Y + 1.402 Cr, G = Y - 0.344 Cb - 0.714 Cr, B = Y + 1.772 Cb.
        cb, cr = sc * nc[..., 0], sc * nc[..., 1]
        y = sy * ny
        noisy = clean + np.stack([y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb], -1)
    noisy = quantise8(noisy)
    if rng.uniform() < cfg.jpeg_p:
        noisy = jpeg(noisy, rng.integers(cfg.jpeg_quality[0], cfg.jpeg_quality[1] + 1))
        if gray:
            noisy = np.repeat(noisy.mean(-1, keepdims=True), 3, -1)
            noisy = quantise8(noisy)
        nominal = None
    level = nominal if nominal is not None else float(np.std(noisy - clean))
    return noisy.astype(np.float32), float(min(level, cfg.sigma_cap / 255.0)), kind


def _tile(n: np.ndarray) -> np.ndarray:
    return np.repeat(n, 3, -1) if n.shape[-1] == 1 else n


def as_rgb(image: np.ndarray) -> np.ndarray:
    """A loaded photo as (H, W, 3): a gray one as Y on all three channels, alpha dropped."""
    return np.repeat(image[..., None], 3, -1) if image.ndim == 2 else image[..., :3]


def to_gray3(rgb: np.ndarray) -> np.ndarray:
    y = quantise8(rgb @ LUMA)
    return np.repeat(y[..., None], 3, -1)


class PatchSampler:
    """Random crops (with one of the 8 flips/rotations) of a list of uint8 photos.

    A photo is picked with probability proportional to its area. ``batch(step)`` is a pure
    function of (seed, step): a resumed run sees the batches an uninterrupted one would.
    """

    def __init__(self, images: list[np.ndarray], patch: int, seed: int, cfg: NoiseConfig):
        self.images = [as_rgb(im) for im in images]
        for im in self.images:
            if min(im.shape[:2]) < patch:
                raise ValueError(f"photo {im.shape[1]}x{im.shape[0]} is smaller than the {patch}-pixel patch")
        area = np.array([im.shape[0] * im.shape[1] for im in self.images], np.float64)
        self.p = area / area.sum()
        self.patch = patch
        self.seed = seed
        self.cfg = cfg

    def clean_crop(self, rng: np.random.Generator) -> np.ndarray:
        im = self.images[rng.choice(len(self.images), p=self.p)]
        y = rng.integers(0, im.shape[0] - self.patch + 1)
        x = rng.integers(0, im.shape[1] - self.patch + 1)
        crop = im[y:y + self.patch, x:x + self.patch].astype(np.float32) / 255.0
        crop = np.rot90(crop, rng.integers(4))
        if rng.uniform() < 0.5:
            crop = crop[:, ::-1]
        return np.ascontiguousarray(crop)

    def batch(self, step: int, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(noisy, level, clean): (size, P, P, 3), (size,), (size, P, P, 3) float32."""
        rng = np.random.default_rng([self.seed, step])
        clean = np.empty((size, self.patch, self.patch, 3), np.float32)
        noisy = np.empty_like(clean)
        level = np.empty((size,), np.float32)
        for i in range(size):
            c = self.clean_crop(rng)
            gray = rng.uniform() < self.cfg.gray_p
            if gray:
                c = to_gray3(c)
            clean[i] = c
            noisy[i], level[i], _ = add_noise(c, rng, self.cfg, gray)
        return noisy, level, clean
