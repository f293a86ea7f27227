"""Builds the clean-photo corpus for the photo denoiser: one command, cached, seeded.

From ``tflite-models/`` (``apt-get update`` once; scikit-image, PyWavelets, scikit-learn,
matplotlib and Pillow installed)::

    python -m training.photo_corpus build --out /work/photos --report-dir training/data

1. ``apt-get download PKG=VERSION`` of the six wallpaper packages in
   :mod:`training.photo_sources` into ``OUT/debs``, checked against the pinned SHA256.
2. Extracts only the wallpaper folders (plus ``/usr/share/doc/PKG``) into ``OUT/extract``.
3. Writes every listed photograph as an 8-bit sRGB PNG under ``OUT/clean/<photo id>.png``,
   Debian photos downscaled by their factor with a Lanczos filter (in linear light would be
   more exact; sRGB is what the benchmarks and the phone's files are in), wheel photos as
   they are (grayscale ones stay single-channel).
4. Splits photos (not crops) into train/val with ``SPLIT_SEED``: ``REPORT/photo_splits/
   {train,val}.txt`` list photo ids, ``REPORT/photo_summary.json`` sizes and licences.

Never add ``../shared/data/images`` (BSD68/CBSD68) here: they are the benchmark.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pathlib
import sys

import numpy as np

from . import debian, photo_sources

SPLIT_SEED = 20261122
VAL_FRACTION = 0.12


def _load_wheel(expr: str) -> np.ndarray:
    module_name = expr.split("(")[0].rsplit(".", 1)[0]
    if module_name.startswith("matplotlib"):
        import matplotlib.cbook
        from PIL import Image
        with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as f:
            return np.asarray(Image.open(f).convert("RGB"))
    if module_name.startswith("sklearn"):
        from sklearn.datasets import load_sample_image
        return load_sample_image(expr.split("'")[1])
    module = importlib.import_module(module_name)
    fn = getattr(module, expr.split("(")[0].rsplit(".", 1)[1])
    return np.asarray(fn())


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Wheel images come as uint8 or float in [0, 1] (pywt.ascent is 0..255 float)."""
    a = np.asarray(image)
    if a.dtype == np.uint8:
        return a
    a = a.astype(np.float64)
    if a.max() <= 1.0:
        a = a * 255.0
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def downscale(image: "PIL.Image.Image", factor: int):  # noqa: F821
    from PIL import Image
    w, h = image.size
    return image.resize((max(1, w // factor), max(1, h // factor)), Image.LANCZOS)


def split_ids(ids: list[str], seed: int = SPLIT_SEED, val_fraction: float = VAL_FRACTION) -> dict:
    """Photo-level split: a seeded permutation, the first ``round(n * val_fraction)`` to val."""
    ordered = sorted(ids)
    perm = np.random.default_rng(seed).permutation(len(ordered))
    n_val = max(1, int(round(len(ordered) * val_fraction)))
    val = sorted(ordered[i] for i in perm[:n_val])
    train = sorted(ordered[i] for i in perm[n_val:])
    return {"train": train, "val": val}


def build(out: pathlib.Path, report_dir: pathlib.Path | None, log=print) -> dict:
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = None
    clean = out / "clean"
    records = []
    roots = {}
    for package in photo_sources.PACKAGES:
        deb = debian.fetch(package, out / "debs")
        roots[package.name] = debian.extract(package, deb, out / "extract")
    for photo in photo_sources.DEBIAN_PHOTOS:
        dest = clean / f"{photo.photo_id}.png"
        src = roots[photo.package.name] / photo.path
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            image = downscale(Image.open(src).convert("RGB"), photo.factor)
            tmp = dest.with_suffix(".tmp.png")
            image.save(tmp)
            tmp.rename(dest)
        licence = debian.CopyrightFile.of(roots[photo.package.name], photo.package.name).licence_for(
            "/" + photo.path)
        w, h = Image.open(dest).size
        records.append({"id": photo.photo_id, "package": photo.package.name, "version": photo.package.version,
                        "original_path": "/" + photo.path, "sha256_original": debian.sha256_of(src),
                        "downscale": photo.factor, "width": w, "height": h, "licence": licence})
    for photo_id, expr, licence in photo_sources.WHEEL_PHOTOS:
        dest = clean / f"{photo_id}.png"
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_suffix(".tmp.png")
            Image.fromarray(to_uint8(_load_wheel(expr))).save(tmp)
            tmp.rename(dest)
        im = Image.open(dest)
        records.append({"id": photo_id, "package": expr.split(".")[0], "original_path": expr,
                        "downscale": 1, "width": im.size[0], "height": im.size[1],
                        "channels": len(im.getbands()), "licence": licence})
    splits = split_ids([r["id"] for r in records])
    summary = {"split_seed": SPLIT_SEED, "val_fraction": VAL_FRACTION, "photos": len(records),
               "megapixels": round(sum(r["width"] * r["height"] for r in records) / 1e6, 2),
               "train": len(splits["train"]), "val": len(splits["val"]), "records": records}
    (out / "photo_summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    for name, ids in splits.items():
        (out / f"photos_{name}.txt").write_text("".join(i + "\n" for i in ids))
    if report_dir is not None:
        folder = report_dir / "photo_splits"
        folder.mkdir(parents=True, exist_ok=True)
        for name, ids in splits.items():
            (folder / f"{name}.txt").write_text("".join(i + "\n" for i in ids))
        (report_dir / "photo_summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    log(f"{len(records)} photos, {summary['megapixels']} MP after downscaling; "
        f"{len(splits['train'])} train, {len(splits['val'])} val")
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="fetch, extract, downscale, split")
    b.add_argument("--out", type=pathlib.Path, required=True, help="corpus folder (outside the repository)")
    b.add_argument("--report-dir", type=pathlib.Path, help="where the split lists and summary are committed")
    args = parser.parse_args(argv)
    build(args.out, args.report_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
