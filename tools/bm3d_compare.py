#!/usr/bin/env python3
"""Compare our Java BM3D (Bm3dDenoiser) with the reference `bm3d` PyPI package.

For each chosen image: add seeded white Gaussian noise (float, neither clipped nor quantised),
store the noisy image as raw float32, denoise it with bm3d.bm3d(noisy, sigma_psd=sigma/255) and
with the Java implementation (test-scope main dev.denoise.core.image.Bm3dRawMain, all images in
one JVM), and print a per-image and mean PSNR table. Reference outputs are cached in --workdir
(named by image index, sigma, seed and channels), so re-running after a Java change only runs
the Java side. PSNR is on the 0..1 scale (peak 1) after
clipping each output to [0, 1], the same for both methods.

The noise of image number i (0-based, in sorted file-name order of the whole folder) comes from
numpy.random.default_rng(seed + i), so any subset reproduces the same noisy images.

The Java classes must be compiled first (tools/bm3d_compare.sh does it).
"""
import argparse
import datetime
import glob
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image


def psnr(ref, est):
    mse = float(np.mean((np.clip(est, 0.0, 1.0) - ref) ** 2))
    return 10.0 * np.log10(1.0 / mse)


def default_classpath(repo):
    core = os.path.join(repo, "denoise-core", "target")
    jars = glob.glob(os.path.expanduser(
        "~/.m2/repository/com/github/wendykierp/JTransforms/*/JTransforms-*.jar"))
    return os.pathsep.join([os.path.join(core, "classes"), os.path.join(core, "test-classes")]
                           + sorted(jars)[-1:])


def load(path, channels):
    img = Image.open(path)
    img = img.convert("L" if channels == 1 else "RGB")
    arr = np.asarray(img, dtype=np.float32) / 255.0
    return arr[:, :, None] if arr.ndim == 2 else arr  # H x W x C


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", required=True, help="folder of PNG images (e.g. BSD68)")
    ap.add_argument("--first", type=int, default=0, help="index of the first image (sorted)")
    ap.add_argument("--count", type=int, default=10, help="number of images")
    ap.add_argument("--sigma", type=float, default=25.0, help="noise sigma, 0..255 scale")
    ap.add_argument("--seed", type=int, default=20260, help="base seed; image i uses seed + i")
    ap.add_argument("--channels", type=int, choices=(1, 3), default=1)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                    help="Java worker threads")
    ap.add_argument("--skip-reference", action="store_true", help="run only the Java side")
    ap.add_argument("--classpath", default=None, help="Java classpath (default: target dirs)")
    ap.add_argument("--java", default="java")
    ap.add_argument("--workdir", default=None, help="where raw files go (default: temp dir)")
    args = ap.parse_args()

    names = sorted(f for f in os.listdir(args.images) if f.lower().endswith(".png"))
    chosen = list(range(args.first, min(len(names), args.first + args.count)))
    if not chosen:
        sys.exit(f"no images selected from {args.images} (first={args.first} count={args.count})")
    workdir = args.workdir or tempfile.mkdtemp(prefix="bm3d_compare_")
    os.makedirs(workdir, exist_ok=True)
    sigma01 = args.sigma / 255.0

    cleans, noisies, java_args = {}, {}, []
    for i in chosen:
        clean = load(os.path.join(args.images, names[i]), args.channels)
        rng = np.random.default_rng(args.seed + i)
        noisy = (clean + rng.normal(0.0, sigma01, clean.shape)).astype(np.float32)
        cleans[i], noisies[i] = clean, noisy
        h, w, _ = clean.shape
        raw_in = os.path.join(workdir, f"{i:03d}_noisy.f32")
        raw_out = os.path.join(workdir, f"{i:03d}_java.f32")
        np.ascontiguousarray(noisy.transpose(2, 0, 1)).astype("<f4").tofile(raw_in)
        java_args += [str(w), str(h), raw_in, raw_out]

    cmd = [args.java, "-cp", args.classpath or default_classpath(repo),
           "dev.denoise.core.image.Bm3dRawMain", str(args.sigma), str(args.threads),
           str(args.channels)] + java_args
    proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
    java_seconds = [float(line.split()[0].split("=")[1])
                    for line in proc.stdout.splitlines() if line.startswith("seconds=")]

    ref_seconds = {}
    refs = {}
    if not args.skip_reference:
        for i in chosen:
            cache = os.path.join(workdir, f"{i:03d}_ref_s{args.sigma:g}_seed{args.seed}"
                                          f"_c{args.channels}.npz")
            if os.path.exists(cache):
                with np.load(cache) as z:
                    refs[i], ref_seconds[i] = z["out"], float(z["seconds"])
                continue
            import bm3d
            start = time.perf_counter()
            if args.channels == 1:
                refs[i] = np.asarray(bm3d.bm3d(noisies[i][:, :, 0], sigma_psd=sigma01))[:, :, None]
            else:
                refs[i] = np.asarray(bm3d.bm3d_rgb(noisies[i], sigma_psd=sigma01))
            ref_seconds[i] = time.perf_counter() - start
            np.savez(cache, out=refs[i].astype(np.float32), seconds=ref_seconds[i])

    print(f"# bm3d_compare: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}"
          f" on {platform.node()} ({platform.machine()}, {os.cpu_count()} cpus,"
          f" {platform.platform()})")
    print(f"# images={args.images} first={args.first} count={len(chosen)} sigma255={args.sigma}"
          f" seed={args.seed}+index channels={args.channels} java_threads={args.threads}")
    print("# PSNR dB (peak 1, outputs clipped to [0,1]); noise float, not clipped or quantised")
    print("# ref_s*: reference seconds when it was computed (cached runs repeat the old figure)")
    print(f"{'image':<14}{'noisy':>8}{'ref':>8}{'ours':>8}{'gap':>8}{'ref_s*':>8}{'ours_s':>8}")
    rows = []
    for n, i in enumerate(chosen):
        h, w, c = cleans[i].shape
        ours = np.fromfile(os.path.join(workdir, f"{i:03d}_java.f32"), dtype="<f4")
        ours = ours.reshape(c, h, w).transpose(1, 2, 0)
        p_noisy = psnr(cleans[i], noisies[i])
        p_ours = psnr(cleans[i], ours)
        p_ref = psnr(cleans[i], refs[i]) if i in refs else float("nan")
        rows.append((p_noisy, p_ref, p_ours, ref_seconds.get(i, float("nan")), java_seconds[n],
                     w * h))
        print(f"{names[i]:<14}{p_noisy:8.2f}{p_ref:8.2f}{p_ours:8.2f}{p_ours - p_ref:8.2f}"
              f"{ref_seconds.get(i, float('nan')):8.2f}{java_seconds[n]:8.2f}")
    a = np.array(rows)
    print(f"{'mean':<14}{a[:, 0].mean():8.2f}{a[:, 1].mean():8.3f}{a[:, 2].mean():8.3f}"
          f"{a[:, 2].mean() - a[:, 1].mean():8.3f}{a[:, 3].mean():8.2f}{a[:, 4].mean():8.2f}")
    print(f"# java throughput: {a[:, 5].sum() / 1e6 / a[:, 4].sum():.4f} MP/s"
          f" with {args.threads} thread(s); reference: "
          f"{a[:, 5].sum() / 1e6 / a[:, 3].sum():.4f} MP/s")


if __name__ == "__main__":
    main()
