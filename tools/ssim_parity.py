#!/usr/bin/env python3
"""Reference SSIM/PSNR values from scikit-image for the Java metrics to match.

Writes denoise-core/src/test/resources/ssim-parity/reference.csv and the synthetic image
pairs next to it. Two kinds of pairs:

* synthetic: seeded numpy images (seed recorded in the CSV), stored as small PNGs;
* bsd68: a BSD68/CBSD68 image (never copied into the repo) and a distortion that the Java
  test reproduces exactly with integer arithmetic ("hashnoise" or "box3", defined below).

SSIM is skimage.metrics.structural_similarity(gaussian_weights=True, sigma=1.5,
use_sample_covariance=False, data_range=255), channel_axis=2 for colour.

Usage: tools/ssim_parity.py [--images ../shared/data/images] [--out DIR]
"""
import argparse
import csv
import os

import numpy as np
from skimage import io
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def hashnoise(img):
    """clean + ((x*73856093 ^ y*19349663 ^ c*83492791) mod 2^32) mod 61 - 30, clipped."""
    h, w = img.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.int64)
    planes = img[..., None] if img.ndim == 2 else img
    out = np.empty_like(planes)
    for c in range(planes.shape[2]):
        code = ((x * 73856093) ^ (y * 19349663) ^ (c * 83492791)) & 0xFFFFFFFF
        n = code % 61 - 30
        out[..., c] = np.clip(planes[..., c].astype(np.int64) + n, 0, 255)
    return out[..., 0] if img.ndim == 2 else out


def box3(img):
    """3x3 mean with edge-clamped borders, integer floor division by 9."""
    planes = img[..., None] if img.ndim == 2 else img
    p = np.pad(planes.astype(np.int64), ((1, 1), (1, 1), (0, 0)), mode="edge")
    h, w = planes.shape[:2]
    s = sum(p[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3))
    out = (s // 9).astype(np.uint8)
    return out[..., 0] if img.ndim == 2 else out


def synthetic(seed, h, w, channels):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w] / max(h, w)
    planes = []
    for _ in range(channels):
        f = rng.uniform(2, 9, size=4)
        p = 128 + 60 * np.sin(f[0] * x + f[1] * y) + 40 * np.cos(f[2] * x * y * 3 + f[3])
        p[h // 4:h // 2, w // 3:2 * w // 3] += 50
        planes.append(p)
    ref = np.clip(np.rint(np.stack(planes, axis=2)), 0, 255).astype(np.uint8)
    test = np.clip(np.rint(ref + rng.normal(0, 18, ref.shape)), 0, 255).astype(np.uint8)
    if channels == 1:
        ref, test = ref[..., 0], test[..., 0]
    return ref, test


def scores(ref, test):
    axis = 2 if ref.ndim == 3 else None
    ssim = structural_similarity(ref, test, gaussian_weights=True, sigma=1.5,
                                 use_sample_covariance=False, data_range=255,
                                 channel_axis=axis)
    psnr = peak_signal_noise_ratio(ref, test, data_range=255)
    return psnr, ssim


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", default=os.path.join(REPO, "..", "shared", "data", "images"))
    ap.add_argument("--out", default=os.path.join(
        REPO, "denoise-core", "src", "test", "resources", "ssim-parity"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for name, seed, h, w, ch in [("synth-gray-64x48", 1, 48, 64, 1),
                                 ("synth-rgb-80x60", 2, 60, 80, 3),
                                 ("synth-gray-11x13", 3, 13, 11, 1)]:
        ref, test = synthetic(seed, h, w, ch)
        io.imsave(os.path.join(args.out, name + "-ref.png"), ref, check_contrast=False)
        io.imsave(os.path.join(args.out, name + "-test.png"), test, check_contrast=False)
        psnr, ssim = scores(ref, test)
        rows.append([name, "synthetic", name + "-ref.png", name + "-test.png",
                     "seed=%d noise=18" % seed, 255, "%.10f" % psnr, "%.10f" % ssim])
    for folder, image in [("BSD68", "test001.png"), ("BSD68", "test017.png"),
                          ("CBSD68", "101085.png"), ("CBSD68", "253027.png")]:
        path = os.path.join(args.images, folder, image)
        clean = io.imread(path)
        for distortion, fn in [("hashnoise", hashnoise), ("box3", box3)]:
            test = fn(clean)
            psnr, ssim = scores(clean, test)
            rows.append(["%s-%s-%s" % (folder, image[:-4], distortion), "bsd68",
                         folder + "/" + image, "", distortion, 255,
                         "%.10f" % psnr, "%.10f" % ssim])
    with open(os.path.join(args.out, "reference.csv"), "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["pair", "kind", "reference", "test", "distortion", "data_range",
                      "psnr_db", "ssim"])
        out.writerows(rows)
    for r in rows:
        print(",".join(str(v) for v in r))


if __name__ == "__main__":
    main()
