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

A ``"mask": "complex"`` model config needs the phase as well: its cache (a separate folder,
``<split>_..._complex``, so the magnitude caches stay as they are) holds ``lnp`` and the
power-law compressed complex spectra ``c(Z) = |Z|^0.3 e^{i angle Z}`` of mixture and target
as real and imaginary parts: ``xcr``, ``xci``, ``scr``, ``sci`` (``|c(X)| = xc``).

They are memory-mapped when training, so 800 ten-second examples (2.4 GB) stay out of the
process's private memory. ``examples.jsonl`` beside them records every draw.
"""

from __future__ import annotations

import json
import pathlib
import time

import numpy as np

from . import voice_stft
from .voice_mask import COMPRESSION, LOSS_ARRAYS

ARRAYS = ("lnp", "xc", "sc")
KIND_ARRAYS = {kind: ("lnp",) + names for kind, names in LOSS_ARRAYS.items()}


def compressed_complex(z: np.ndarray) -> np.ndarray:
    """``|z|^0.3 e^{i angle z}`` (0 where ``z`` is 0)."""
    mag = np.abs(z)
    return np.where(mag > 0, z * np.maximum(mag, 1e-30) ** (COMPRESSION - 1), 0)


def example_arrays(mixture: np.ndarray, target: np.ndarray, kind: str = "magnitude") -> dict:
    """The per-frame arrays of one example (float32), :data:`KIND_ARRAYS` of the mask kind."""
    x = voice_stft.forward(mixture)
    s = voice_stft.forward(target)
    out = {"lnp": voice_stft.log_power(x).astype(np.float32)}
    if kind == "complex":
        xcc, scc = compressed_complex(x), compressed_complex(s)
        out.update({"xcr": xcc.real, "xci": xcc.imag, "scr": scc.real, "sci": scc.imag})
    else:
        out.update({"xc": np.abs(x) ** COMPRESSION, "sc": np.abs(s) ** COMPRESSION})
    return {k: np.asarray(v, np.float32) for k, v in out.items()}


def split_folder(scratch: pathlib.Path, split: str, count: int, seed: int, example_s: float,
                 kind: str = "magnitude") -> pathlib.Path:
    suffix = "" if kind == "magnitude" else f"_{kind}"
    return scratch / f"{split}_{count}x{example_s:g}s_seed{seed}{suffix}"


def build_split(corpus: pathlib.Path, scratch: pathlib.Path, split: str, count: int, base_seed: int,
                example_s: float, pause_s, augment=None, mix=None, log=print, kind: str = "magnitude") -> pathlib.Path:
    """Writes (or reuses, when complete) the cached arrays of ``count`` examples for the mask
    ``kind``; returns the folder."""
    from .mixing import MixConfig
    from .voice_dataset import ExampleBuilder

    folder = split_folder(scratch, split, count, base_seed, example_s, kind)
    names = KIND_ARRAYS[kind]
    done = folder / "done.json"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    mix_config = MixConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in (mix or {}).items()})
    builder = ExampleBuilder(corpus, split, base_seed, example_s, tuple(pause_s), mix_config, augment=augment)
    frame_count = builder.length // voice_stft.HOP
    out = {k: np.lib.format.open_memmap(folder / f"{k}.npy", mode="w+", dtype=np.float16,
                                        shape=(count, frame_count, voice_stft.BINS)) for k in names}
    t0 = time.time()
    with open(folder / "examples.jsonl", "w") as meta:
        for i in range(count):
            ex = builder.example(i)
            arrays = example_arrays(ex.mixture, ex.target, kind)
            for k in names:
                out[k][i] = arrays[k][:frame_count]
            meta.write(json.dumps(ex.metadata, sort_keys=True) + "\n")
            if (i + 1) % 100 == 0:
                log(f"{split}: {i + 1}/{count} examples mixed and transformed ({time.time() - t0:.0f} s)")
    for k in names:
        out[k].flush()
    done.write_text(json.dumps({"count": count, "base_seed": base_seed, "example_s": example_s,
                                "frames": frame_count, "seconds": round(time.time() - t0, 1)}))
    return folder


def load_split(folder: pathlib.Path, kind: str = "magnitude") -> dict:
    """Memory-mapped arrays ``[count, frames, 513]`` (float16): ``{"lnp", "xc", "sc"}`` or the
    complex kind's ``{"lnp", "xcr", "xci", "scr", "sci"}``."""
    return {k: np.load(folder / f"{k}.npy", mmap_mode="r") for k in KIND_ARRAYS[kind]}


def build_from_config(config: dict, corpus: pathlib.Path, scratch: pathlib.Path, log=print) -> dict:
    """The train and val splits named in ``config["data"]`` (the same block
    ``voice_dataset.build_from_config`` reads): ``{split: {"arrays", "count", "base_seed", "hours"}}``."""
    from .voice_mask import mask_kind

    data = config["data"]
    kind = mask_kind(config.get("model", {}))
    out = {}
    for split in ("train", "val"):
        spec = data[split]
        folder = build_split(corpus, scratch, split, spec["count"], spec["seed"], data["example_s"],
                             data["pause_s"], augment=data.get("augment") if split == "train" else None,
                             mix=data.get("mix") if split == "train" else None, log=log, kind=kind)
        out[split] = {"arrays": load_split(folder, kind), "count": spec["count"], "base_seed": spec["seed"],
                      "hours": spec["count"] * data["example_s"] / 3600.0, "folder": str(folder)}
    return out


def chunk_index(examples: int, frames: int, length: int) -> np.ndarray:
    """``[(example, start)]`` of the non-overlapping ``length``-frame chunks of every example."""
    starts = np.arange(0, frames - length + 1, length)
    return np.array([(e, s) for e in range(examples) for s in starts], dtype=np.int64)


def gather(arrays: dict, index: np.ndarray, length: int) -> dict:
    """float32 batches ``[len(index), length, 513]`` of each array for the given chunks."""
    return {k: np.stack([a[e, s:s + length] for e, s in index]).astype(np.float32) for k, a in arrays.items()}
