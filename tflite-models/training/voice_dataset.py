"""Training and validation frames for the RNNoise-style voice model.

Builds seeded noisy/clean examples from a split of the corpus with :mod:`training.mixing`,
writes each pair as WAV into a scratch folder outside the repository, runs the project's
Java feature code over all of them in one JVM (``denoise features --list``), and loads the
rows back as numpy arrays. Features therefore come from the one feature implementation the
denoiser runs (``dev.denoise.core.audio.rnn.FeatureExtractor``, feature version 1).

Example ``i`` of a split is drawn from ``SeedSequence([base_seed, i])``: clean clips of the
split are concatenated with random pauses up to ``example_s`` seconds (single clips here
are ~1-15 s, and a recurrent model must also see speech onsets and pauses), then
:func:`training.mixing.mix` adds one noise clip at a random speech-active SNR with the
split's room responses. Every draw is recorded in ``SCRATCH/<split>/examples.jsonl``.

Command (from ``tflite-models/``)::

    nice -n 5 python -m training.voice_dataset --config training/configs/voice_rnnoise_small.json \\
        --corpus /work/corpus --scratch /work/voice-scratch --jar ../cli/target/denoise.jar

Data file layout (``TrainingFrames`` in denoise-core): rows of 65 little-endian float32,
42 features then 22 band gains (-1 = undefined) then the VAD target.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import pathlib
import subprocess
import sys
import time
from typing import Optional

import numpy as np

FEATURE_COUNT = 42
BANDS = 22
ROW = FEATURE_COUNT + BANDS + 1
FEATURE_VERSION = 1
SAMPLE_RATE_HZ = 48000
HOP = 480
GAIN_UNDEFINED = -1.0


def parse_rows(data: bytes | np.ndarray, header: Optional[dict] = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Splits a ``TrainingFrames`` data file into (features [T, 42], gains [T, 22], vad [T]).

    ``header`` (the ``.json`` beside the data) is checked when given: format, feature version,
    counts and frame count must match what this module expects.
    """
    flat = np.frombuffer(data, dtype="<f4") if isinstance(data, (bytes, bytearray)) else np.asarray(data, "<f4")
    if flat.size % ROW:
        raise ValueError(f"{flat.size} floats is not a whole number of {ROW}-float rows")
    rows = flat.reshape(-1, ROW).astype(np.float32)
    if header is not None:
        expected = {"format": "denoise-rnn-frames", "feature_version": FEATURE_VERSION,
                    "feature_count": FEATURE_COUNT, "target_count": BANDS + 1,
                    "sample_rate": SAMPLE_RATE_HZ, "hop_samples": HOP, "frames": rows.shape[0]}
        for key, value in expected.items():
            if header.get(key) != value:
                raise ValueError(f"header {key}={header.get(key)!r}, expected {value!r}")
    return rows[:, :FEATURE_COUNT], rows[:, FEATURE_COUNT:FEATURE_COUNT + BANDS], rows[:, -1]


def load_pair(prefix: pathlib.Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reads ``PREFIX.f32`` checked against ``PREFIX.json``."""
    header = json.loads(pathlib.Path(f"{prefix}.json").read_text())
    return parse_rows(pathlib.Path(f"{prefix}.f32").read_bytes(), header)


def chunk_sequences(arrays: list[np.ndarray], length: int) -> np.ndarray:
    """Cuts per-example [T_i, ...] arrays into [N, length, ...] chunks (tails shorter than
    ``length`` are dropped), example by example in order."""
    out = []
    for a in arrays:
        for start in range(0, a.shape[0] - length + 1, length):
            out.append(a[start:start + length])
    if not out:
        raise ValueError(f"no example holds {length} frames")
    return np.stack(out)


def random_biquad(rng: np.random.Generator, strength: float) -> tuple[np.ndarray, np.ndarray]:
    """RNNoise's spectral augmentation: ``(1 + r0 z^-1 + r1 z^-2) / (1 + r2 z^-1 + r3 z^-2)``
    with every ``r`` uniform in ``[-strength, strength]``. Stable for ``strength < 0.5``
    (``|r3| < 1`` and ``|r2| < 1 + r3``)."""
    if not 0 <= strength < 0.5:
        raise ValueError(f"strength={strength}; a stable filter needs 0 <= strength < 0.5")
    r = rng.uniform(-strength, strength, 4)
    return np.array([1.0, r[0], r[1]]), np.array([1.0, r[2], r[3]])


def coloured_noise(rng: np.random.Generator, length: int, slope: float) -> np.ndarray:
    """Gaussian noise with power spectrum ~ f^-slope (0 white, 1 pink, 2 brown), unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(length))
    f = np.arange(spectrum.size, dtype=np.float64)
    f[0] = 1.0
    x = np.fft.irfft(spectrum * f ** (-slope / 2.0), n=length)
    return (x / (np.sqrt(np.mean(x * x)) + 1e-12)).astype(np.float32)


def augment_noise(noise: np.ndarray, other: np.ndarray, length: int, rng: np.random.Generator,
                  aug: dict) -> tuple[np.ndarray, dict]:
    """The noise of one example, ``length`` samples: with probability ``synthetic_p``
    coloured Gaussian noise, else ``noise`` plus (probability ``second_noise_p``) ``other``
    at -10...0 dB relative RMS; then a random biquad (``filter_strength``). Draws in a fixed
    order from ``rng``; returns the noise and what was drawn."""
    from scipy import signal

    synthetic = bool(rng.random() < aug.get("synthetic_p", 0.0))
    slope = float(rng.uniform(0.0, 2.0))
    second = bool(rng.random() < aug.get("second_noise_p", 0.0))
    second_db = float(rng.uniform(-10.0, 0.0))
    offsets = rng.integers(0, 2 ** 31, size=2)
    b, a = random_biquad(rng, aug.get("filter_strength", 0.0))
    loop = lambda x, off: np.resize(np.roll(x, -int(off % max(x.size, 1))), length).astype(np.float64)
    if synthetic:
        out = coloured_noise(rng, length, slope).astype(np.float64)
    else:
        out = loop(noise, offsets[0])
        if second:
            extra = loop(other, offsets[1])
            rms = lambda x: np.sqrt(np.mean(x * x)) + 1e-12
            out = out + extra * (rms(out) / rms(extra)) * 10.0 ** (second_db / 20.0)
    out = signal.lfilter(b, a, out)
    info = {"synthetic_noise_slope": slope if synthetic else None,
            "second_noise_db": second_db if (second and not synthetic) else None,
            "noise_filter": [float(v) for v in np.concatenate([b[1:], a[1:]])]}
    return out.astype(np.float32), info


def refresh_seed(base_seed: int, refresh: int) -> int:
    """Base seed of training refresh ``refresh``: the split's own seed for refresh 0 (so the
    first refresh holds the same examples as a fixed split of that seed), else a seed derived
    from ``SeedSequence([base_seed, refresh])``."""
    if refresh < 0:
        raise ValueError(f"refresh={refresh}; expected >= 0")
    if refresh == 0:
        return int(base_seed)
    return int(np.random.SeedSequence([base_seed, refresh]).generate_state(1)[0])


def refresh_window(epoch: int, refresh_every: int, keep: int = 1) -> list[int]:
    """Refresh indices whose examples make up the training set of (0-based) ``epoch``: block
    ``b = epoch // refresh_every`` trains on refreshes ``b ... b + keep - 1``, so every block
    after the first adds one new refresh and drops the oldest."""
    if refresh_every < 1 or keep < 1:
        raise ValueError(f"refresh_every={refresh_every}, keep={keep}; both must be >= 1")
    block = epoch // refresh_every
    return list(range(block, block + keep))


class ExampleBuilder:
    """Draws concatenated-clip examples of one split (see the module comment).

    ``clean`` (optional) makes a fraction of examples (nearly) clean: with probability
    ``clean["p"]`` the example's SNR is drawn from ``clean["snr_db"]`` (default 30-50 dB)
    instead of the mix config's range, and of those, a fraction ``clean["noise_free_p"]``
    has no noise at all (``mixture == speech``: only the late reverb, if any, is left to
    remove). These draws come from their own stream ``default_rng([seed, 3])`` and are not
    made when ``clean`` is absent or its ``p`` is 0, so every other draw stays as it was."""

    def __init__(self, corpus: pathlib.Path, split: str, base_seed: int, example_s: float,
                 pause_s: tuple[float, float], mix_config, augment: Optional[dict] = None,
                 clean: Optional[dict] = None):
        from . import audio
        from .mixing import SAMPLE_RATE_HZ as rate

        self._audio = audio
        self.corpus = corpus
        self.split = split
        self.base_seed = base_seed
        self.length = int(round(example_s * rate))
        self.pause = (int(pause_s[0] * rate), int(pause_s[1] * rate))
        self.mix_config = mix_config
        self.augment = augment or {}
        self.clean = clean or {}
        ids = lambda kind: [l for l in (corpus / "splits" / f"{kind}_{split}.txt").read_text().splitlines() if l]
        self.speech_ids, self.noise_ids, self.ir_ids = ids("speech"), ids("noise"), ids("ir")
        self.irs = [audio.read_wav(corpus / i) for i in self.ir_ids]
        with open(corpus / "manifest_speech.csv", newline="") as f:
            self.bandwidth = {r["clip_id"]: float(r["bandwidth_hz"]) for r in csv.DictReader(f)}

    def babble(self, rng: np.random.Generator, length: int) -> tuple[np.ndarray, list[str]]:
        """Babble noise from the split's own speech: ``augment.babble_talkers`` = [lo, hi]
        clips (default 3-6), each looped to ``length`` from a random start, scaled to equal RMS
        within ±3 dB, summed. Validation noise includes market and farm ambiences with voices
        in them, which the training noise lacks."""
        lo, hi = self.augment.get("babble_talkers", (3, 6))
        count = int(rng.integers(lo, hi + 1))
        ids = [self.speech_ids[rng.integers(0, len(self.speech_ids))] for _ in range(count)]
        out = np.zeros(length, np.float64)
        for clip_id in ids:
            x = self._audio.read_wav(self.corpus / clip_id).astype(np.float64)
            x = np.resize(np.roll(x, -int(rng.integers(0, x.size))), length)
            out += x / (np.sqrt(np.mean(x * x)) + 1e-12) * 10.0 ** (rng.uniform(-3.0, 3.0) / 20.0)
        return out.astype(np.float32), ids

    def example(self, index: int):
        from .mixing import mix

        for attempt in range(8):
            key = [self.base_seed, index] + ([attempt] if attempt else [])
            seed = int(np.random.SeedSequence(key).generate_state(1)[0])
            rng = np.random.default_rng([seed, 1])
            parts, clips, total = [], [], 0
            lead = int(rng.integers(self.pause[0], self.pause[1] + 1))
            parts.append(np.zeros(lead, np.float32))
            total += lead
            while total < self.length:
                clip_id = self.speech_ids[rng.integers(0, len(self.speech_ids))]
                clip = self._audio.read_wav(self.corpus / clip_id)
                parts.append(clip)
                gap = int(rng.integers(self.pause[0], self.pause[1] + 1))
                parts.append(np.zeros(gap, np.float32))
                clips.append(clip_id)
                total += clip.size + gap
            clean = np.concatenate(parts)[:self.length]
            noise_id = self.noise_ids[rng.integers(0, len(self.noise_ids))]
            other_id = self.noise_ids[rng.integers(0, len(self.noise_ids))]
            noise = self._audio.read_wav(self.corpus / noise_id)
            augmented = {}
            if self.augment:
                # A separate stream, so switching augmentation off leaves the other draws as they were.
                arng = np.random.default_rng([seed, 2])
                if arng.random() < self.augment.get("babble_p", 0.0):
                    noise, talkers = self.babble(arng, clean.size)
                    noise_id = f"babble:{len(talkers)}"
                    augmented["babble_ids"] = talkers
                other = self._audio.read_wav(self.corpus / other_id)
                noise, drawn = augment_noise(noise, other, clean.size, arng, self.augment)
                augmented.update(drawn)
                if arng.random() < self.augment.get("speech_filter_p", 0.0):
                    from scipy import signal

                    b, a = random_biquad(arng, self.augment.get("filter_strength", 0.0))
                    clean = signal.lfilter(b, a, clean).astype(np.float32)
                    augmented["speech_filter"] = [float(v) for v in np.concatenate([b[1:], a[1:]])]
                augmented["second_noise_id"] = other_id if augmented.get("second_noise_db") is not None else None
            bandwidth = min(self.bandwidth.get(c, np.inf) for c in clips)
            mix_config, kind = self.mix_config, None
            if self.clean.get("p", 0.0) > 0.0:
                crng = np.random.default_rng([seed, 3])
                if crng.random() < self.clean["p"]:
                    kind = "noise_free" if crng.random() < self.clean.get("noise_free_p", 0.0) else "low_noise"
                    mix_config = dataclasses.replace(
                        mix_config, snr_db_range=tuple(float(v) for v in self.clean.get("snr_db", (30.0, 50.0))))
            try:
                result = mix(clean, noise, seed, self.irs, mix_config,
                             clean_bandwidth_hz=None if not np.isfinite(bandwidth) else bandwidth)
            except ValueError:
                continue
            if kind == "noise_free":
                result = dataclasses.replace(result, mixture=result.speech.copy(),
                                             noise=np.zeros_like(result.noise))
            if self.clean.get("p", 0.0) > 0.0:
                result.metadata["clean_example"] = kind
            ir_index = result.metadata["reverb_ir_index"]
            result.metadata.update(split=self.split, index=index, base_seed=self.base_seed,
                                   attempt=attempt, speech_ids=clips, noise_id=noise_id,
                                   augmentation=augmented,
                                   ir_id=None if ir_index is None else self.ir_ids[ir_index])
            return result
        raise ValueError(f"{self.split} example {index}: 8 draws failed")


def build_split(corpus: pathlib.Path, scratch: pathlib.Path, jar: pathlib.Path, split: str,
                count: int, base_seed: int, example_s: float, pause_s, java: str = "java",
                keep_wav: bool = False, augment: Optional[dict] = None, log=print,
                mix: Optional[dict] = None, clean: Optional[dict] = None) -> list[pathlib.Path]:
    """Writes ``count`` examples of ``split`` and their frames under ``scratch/split``;
    returns the frame prefixes. Examples and frames already written are reused (the seeds
    make them identical), so an interrupted build resumes. The WAVs are deleted once their
    frames exist unless ``keep_wav`` (``examples.jsonl`` holds the seeds to redraw them).
    ``mix`` overrides :class:`training.mixing.MixConfig` fields (e.g. ``snr_db_range``);
    ``clean`` is :class:`ExampleBuilder`'s clean-example option."""
    import soundfile

    from .mixing import MixConfig

    out = scratch / split
    (out / "wav").mkdir(parents=True, exist_ok=True)
    (out / "frames").mkdir(parents=True, exist_ok=True)
    builder = None
    lines, prefixes, metadata = [], [], []
    meta_path = out / "examples.jsonl"
    known = {}
    if meta_path.exists():
        for line in meta_path.read_text().splitlines():
            m = json.loads(line)
            known[m["index"]] = m
    t0 = time.time()
    for i in range(count):
        c, x = out / "wav" / f"{i:05d}_clean.wav", out / "wav" / f"{i:05d}_noisy.wav"
        prefix = out / "frames" / f"{i:05d}"
        done = pathlib.Path(f"{prefix}.json").exists()
        if not done and not (c.exists() and x.exists() and i in known and known[i]["base_seed"] == base_seed):
            if builder is None:
                mix_config = MixConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in (mix or {}).items()})
                builder = ExampleBuilder(corpus, split, base_seed, example_s, pause_s, mix_config,
                                         augment=augment, clean=clean)
            ex = builder.example(i)
            # float32 WAV: no requantisation of quiet examples (peaks down to -25 dBFS).
            soundfile.write(str(c), ex.target, SAMPLE_RATE_HZ, subtype="FLOAT")
            soundfile.write(str(x), ex.mixture, SAMPLE_RATE_HZ, subtype="FLOAT")
            known[i] = ex.metadata
            if (i + 1) % 50 == 0:
                log(f"{split}: {i + 1}/{count} examples mixed ({time.time() - t0:.0f} s)")
        lines.append(f"{c}\t{x}\t{prefix}")
        prefixes.append(prefix)
    with open(meta_path, "w") as f:
        for i in sorted(known):
            if i < count:
                f.write(json.dumps(known[i], sort_keys=True) + "\n")
    list_path = out / "pairs.txt"
    list_path.write_text("\n".join(lines) + "\n")
    t1 = time.time()
    result = subprocess.run([java, "-jar", str(jar), "features", "--list", str(list_path)],
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"feature dump failed ({result.returncode}): {result.stderr.strip()}")
    log(f"{split}: {result.stdout.strip()} in {time.time() - t1:.0f} s; mixing took {t1 - t0:.0f} s")
    if not keep_wav:
        for i in range(count):
            for kind in ("clean", "noisy"):
                (out / "wav" / f"{i:05d}_{kind}.wav").unlink(missing_ok=True)
    return prefixes


def load_split(prefixes: list[pathlib.Path]) -> dict:
    """Per-example arrays of a split: lists ``features``, ``gains``, ``vad``."""
    feats, gains, vads = [], [], []
    for p in prefixes:
        f, g, v = load_pair(p)
        feats.append(f)
        gains.append(g)
        vads.append(v)
    return {"features": feats, "gains": gains, "vad": vads}


def clean_option(data: dict) -> Optional[dict]:
    """``ExampleBuilder``'s ``clean`` option from a config's ``data`` block (``clean_p``,
    ``clean_snr_db``, ``clean_noise_free_p``); None when ``clean_p`` is absent or 0."""
    if not data.get("clean_p"):
        return None
    return {"p": float(data["clean_p"]), "snr_db": tuple(data.get("clean_snr_db", (30.0, 50.0))),
            "noise_free_p": float(data.get("clean_noise_free_p", 0.0))}


def build_refresh(config: dict, corpus: pathlib.Path, scratch: pathlib.Path, jar: pathlib.Path,
                  refresh: int, log=print) -> dict:
    """Builds (or reuses) training refresh ``refresh`` under ``SCRATCH/train_refresh_NNN``:
    ``data.train.count`` examples drawn with :func:`refresh_seed` and the train split's
    augmentation, mixing and clean-example options. Returns ``{"prefixes", "count",
    "base_seed", "hours", "refresh", "seconds"}``."""
    data = config["data"]
    spec = data["train"]
    seed = refresh_seed(spec["seed"], refresh)
    t0 = time.time()
    prefixes = build_split(corpus, scratch / f"train_refresh_{refresh:03d}", jar, "train", spec["count"], seed,
                           data["example_s"], tuple(data["pause_s"]), keep_wav=data.get("keep_wav", False),
                           augment=data.get("augment"), log=log, mix=data.get("mix"), clean=clean_option(data))
    return {"prefixes": prefixes, "count": spec["count"], "base_seed": seed,
            "hours": spec["count"] * data["example_s"] / 3600.0, "refresh": refresh,
            "seconds": time.time() - t0}


def build_refreshes(config: dict, corpus: pathlib.Path, scratch: pathlib.Path, jar: pathlib.Path,
                    window: list[int], log=print) -> dict:
    """The training set made of refreshes ``window`` (each built or reused by
    :func:`build_refresh`): ``{"prefixes", "count", "base_seed", "hours", "refreshes",
    "refresh_seeds", "parts"}``, ``parts`` being the refreshes' own records."""
    parts = [build_refresh(config, corpus, scratch, jar, r, log=log) for r in window]
    return {"prefixes": [p for part in parts for p in part["prefixes"]],
            "count": sum(part["count"] for part in parts),
            "base_seed": config["data"]["train"]["seed"], "hours": sum(part["hours"] for part in parts),
            "refreshes": list(window), "refresh_seeds": [part["base_seed"] for part in parts],
            "parts": parts}


def build_from_config(config: dict, corpus: pathlib.Path, scratch: pathlib.Path, jar: pathlib.Path,
                      log=print, refreshes: Optional[list[int]] = None) -> dict:
    """Builds (or reuses) the train and val splits named in ``config["data"]``; returns
    ``{split: {"prefixes": [...], "count": n, "base_seed": s, "hours": h}}``. With
    ``data.train.refresh_every`` the training set is the refreshes ``refreshes`` (default
    :func:`refresh_window` of epoch 0, see :func:`build_refreshes`); validation is fixed."""
    data = config["data"]
    out = {}
    for split in ("train", "val"):
        spec = data[split]
        if split == "train" and spec.get("refresh_every"):
            window = refreshes if refreshes is not None else refresh_window(
                0, spec["refresh_every"], spec.get("refresh_keep", 1))
            out[split] = build_refreshes(config, corpus, scratch, jar, window, log=log)
            continue
        prefixes = build_split(corpus, scratch, jar, split, spec["count"], spec["seed"],
                               data["example_s"], tuple(data["pause_s"]),
                               keep_wav=data.get("keep_wav", False),
                               augment=data.get("augment") if split == "train" else None, log=log,
                               mix=data.get("mix") if split == "train" else None,
                               clean=clean_option(data) if split == "train" else None)
        out[split] = {"prefixes": prefixes, "count": spec["count"], "base_seed": spec["seed"],
                      "hours": spec["count"] * data["example_s"] / 3600.0}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=pathlib.Path, required=True)
    parser.add_argument("--corpus", type=pathlib.Path, required=True)
    parser.add_argument("--scratch", type=pathlib.Path, required=True,
                        help="folder outside the repository for WAVs and frames")
    parser.add_argument("--jar", type=pathlib.Path, required=True, help="cli/target/denoise.jar")
    args = parser.parse_args(argv)
    config = json.loads(args.config.read_text())
    built = build_from_config(config, args.corpus, args.scratch, args.jar,
                              log=lambda m: print(m, flush=True))
    for split, info in built.items():
        arrays = load_split(info["prefixes"])
        frames = sum(f.shape[0] for f in arrays["features"])
        defined = np.mean(np.concatenate([g.ravel() for g in arrays["gains"]]) >= 0)
        print(f"{split}: {info['count']} examples, {frames} frames, {info['hours']:.2f} h, "
              f"defined gains {defined:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
