"""Shared data pipeline of the spectral-mask voice models (U-Net, CRN).

The examples are :class:`training.voice_dataset.ExampleBuilder`'s, drawn exactly as
``voice_dataset.build_split`` draws them for the RNNoise-style model (same corpus splits,
``SeedSequence([base_seed, index])`` per example, training augmentation and mixing overrides
on the train split only), so a mask model and a gain model trained with the same
``data`` block see the same mixtures. Instead of WAVs and Java features, each mixture/target
pair goes through :mod:`training.voice_stft` (the Java STFT in numpy) and three arrays
``[count, frames, 513]`` are cached as float16 ``.npy`` files under the scratch folder:

* ``lnp``: ``ln(|X|^2 + 1e-8)`` of the mixture (the model input),
* ``xc``: ``|X|^0.3`` of the mixture, ``sc``: ``|S|^0.3`` of the target (the loss).

They are memory-mapped when training, so 800 ten-second examples (2.4 GB) stay out of the
process's private memory. ``examples.jsonl`` beside them records every draw.
"""

from __future__ import annotations

import json
import pathlib
import time

import numpy as np

from . import voice_stft
from .voice_mask import COMPRESSION
ARRAYS = ("lnp", "xc", "sc")


def example_arrays(mixture: np.ndarray, target: np.ndarray) -> dict:
    """The three per-frame arrays of one example (float32)."""
    x = voice_stft.forward(mixture)
    s = voice_stft.forward(target)
    return {"lnp": voice_stft.log_power(x).astype(np.float32),
            "xc": (np.abs(x) ** COMPRESSION).astype(np.float32),
            "sc": (np.abs(s) ** COMPRESSION).astype(np.float32)}


def split_folder(scratch: pathlib.Path, split: str, count: int, seed: int, example_s: float) -> pathlib.Path:
    return scratch / f"{split}_{count}x{example_s:g}s_seed{seed}"


def build_split(corpus: pathlib.Path, scratch: pathlib.Path, split: str, count: int, base_seed: int,
                example_s: float, pause_s, augment=None, mix=None, log=print) -> pathlib.Path:
    """Writes (or reuses, when complete) the cached arrays of ``count`` examples; returns the folder."""
    from .mixing import MixConfig
    from .voice_dataset import ExampleBuilder

    folder = split_folder(scratch, split, count, base_seed, example_s)
    done = folder / "done.json"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    mix_config = MixConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in (mix or {}).items()})
    builder = ExampleBuilder(corpus, split, base_seed, example_s, tuple(pause_s), mix_config, augment=augment)
    frame_count = builder.length // voice_stft.HOP
    out = {k: np.lib.format.open_memmap(folder / f"{k}.npy", mode="w+", dtype=np.float16,
                                        shape=(count, frame_count, voice_stft.BINS)) for k in ARRAYS}
    t0 = time.time()
    with open(folder / "examples.jsonl", "w") as meta:
        for i in range(count):
            ex = builder.example(i)
            arrays = example_arrays(ex.mixture, ex.target)
            for k in ARRAYS:
                out[k][i] = arrays[k][:frame_count]
            meta.write(json.dumps(ex.metadata, sort_keys=True) + "\n")
            if (i + 1) % 100 == 0:
                log(f"{split}: {i + 1}/{count} examples mixed and transformed ({time.time() - t0:.0f} s)")
    for k in ARRAYS:
        out[k].flush()
    done.write_text(json.dumps({"count": count, "base_seed": base_seed, "example_s": example_s,
                                "frames": frame_count, "seconds": round(time.time() - t0, 1)}))
    return folder


def load_split(folder: pathlib.Path) -> dict:
    """Memory-mapped ``{"lnp", "xc", "sc"}`` arrays ``[count, frames, 513]`` (float16)."""
    return {k: np.load(folder / f"{k}.npy", mmap_mode="r") for k in ARRAYS}


def build_from_config(config: dict, corpus: pathlib.Path, scratch: pathlib.Path, log=print) -> dict:
    """The train and val splits named in ``config["data"]`` (the same block
    ``voice_dataset.build_from_config`` reads): ``{split: {"arrays", "count", "base_seed", "hours"}}``."""
    data = config["data"]
    out = {}
    for split in ("train", "val"):
        spec = data[split]
        folder = build_split(corpus, scratch, split, spec["count"], spec["seed"], data["example_s"],
                             data["pause_s"], augment=data.get("augment") if split == "train" else None,
                             mix=data.get("mix") if split == "train" else None, log=log)
        out[split] = {"arrays": load_split(folder), "count": spec["count"], "base_seed": spec["seed"],
                      "hours": spec["count"] * data["example_s"] / 3600.0, "folder": str(folder)}
    return out


def chunk_index(examples: int, frames: int, length: int) -> np.ndarray:
    """``[(example, start)]`` of the non-overlapping ``length``-frame chunks of every example."""
    starts = np.arange(0, frames - length + 1, length)
    return np.array([(e, s) for e in range(examples) for s in starts], dtype=np.int64)


def gather(arrays: dict, index: np.ndarray, length: int) -> dict:
    """float32 batches ``[len(index), length, 513]`` of each array for the given chunks."""
    return {k: np.stack([a[e, s:s + length] for e, s in index]).astype(np.float32) for k, a in arrays.items()}
