"""On-the-fly noisy/clean training pairs.

:func:`mix` turns one clean clip and one noise clip into a (mixture, target) pair. Every
random choice comes from ``numpy.random.default_rng(seed)`` drawn in a fixed order, and the
seed is returned in the example's metadata, so any example can be regenerated exactly.

Signal chain, all at 48 kHz::

    clean --[IR, with probability reverb_probability]--> speech at the mic
    target = clean convolved with the first 50 ms of the same IR after its direct path
             ("early", default) or the clean signal delayed to the direct path ("dry")
    noise: a random excerpt (looped if shorter), never reverberated: the recordings
           already carry their own room
    [low-pass, with probability lowpass_probability, and always at the clean clip's own
     bandwidth when that is below Nyquist]  applied to speech, target and noise
    noise scaled so that speech-active SNR = snr_db (see :func:`active_snr_db`)
    mixture = speech + noise; one gain on mixture and target puts the larger of their
    peaks at peak_dbfs, so nothing clips

SNR is measured on the speech as it reaches the mic (after reverb and low-pass), over the
frames where that speech is active, against the noise power in those same frames.
"""

from __future__ import annotations

import csv
import dataclasses
import pathlib
from typing import Optional, Sequence

import numpy as np
from scipy import signal

SAMPLE_RATE_HZ = 48000
ACTIVITY_FRAME_S = 0.010
ACTIVITY_BELOW_P95_DB = 30.0
ACTIVITY_RANGE_DB = 100.0
RETRIES = 8


@dataclasses.dataclass(frozen=True)
class MixConfig:
    """Ranges the random draws come from."""

    snr_db_range: tuple[float, float] = (-5.0, 20.0)
    peak_dbfs_range: tuple[float, float] = (-25.0, 0.0)
    reverb_probability: float = 0.5
    target: str = "early"  # "early" or "dry"
    early_s: float = 0.050
    lowpass_probability: float = 0.3
    lowpass_cutoffs_hz: tuple[float, ...] = (4000.0, 6000.0, 8000.0, 12000.0, 20000.0)
    lowpass_order: int = 8
    # What to do about a clean clip narrower than the output band: "lowpass" filters the
    # whole example at the clip's bandwidth; "record" leaves the noise full band and only
    # records the bandwidth, for a trainer that masks its loss above it.
    clean_band_policy: str = "lowpass"

    def __post_init__(self):
        if self.target not in ("early", "dry"):
            raise ValueError(f"target={self.target!r}; expected 'early' or 'dry'")
        if self.clean_band_policy not in ("lowpass", "record"):
            raise ValueError(f"clean_band_policy={self.clean_band_policy!r}; expected 'lowpass' or 'record'")
        if self.peak_dbfs_range[1] > 0.0:
            raise ValueError(f"peak_dbfs_range={self.peak_dbfs_range} would clip: upper bound > 0 dBFS")


@dataclasses.dataclass(frozen=True)
class Mixture:
    """One training example. ``mixture == speech + noise`` sample for sample."""

    mixture: np.ndarray
    target: np.ndarray
    speech: np.ndarray
    noise: np.ndarray
    metadata: dict


def activity_mask(speech: np.ndarray, rate_hz: int = SAMPLE_RATE_HZ) -> np.ndarray:
    """Per-frame speech activity over non-overlapping 10 ms frames (a trailing partial frame
    is dropped): frames within 30 dB of the 95th-percentile level of the frames that are
    within 100 dB of the loudest one (this leaves digital silence out of the percentile).
    Every threshold is relative, so the mask does not change with the signal's gain."""
    frame = int(round(ACTIVITY_FRAME_S * rate_hz))
    count = speech.size // frame
    if count == 0:
        raise ValueError(f"speech has {speech.size} samples; need at least one {frame}-sample frame")
    power = np.mean(np.square(speech[:count * frame].astype(np.float64)).reshape(count, frame), axis=1)
    level = 10.0 * np.log10(np.maximum(power, 1e-30))
    if np.max(power) <= 0.0:
        raise ValueError(f"speech is silent ({speech.size} samples of digital zero)")
    audible = level > np.max(level) - ACTIVITY_RANGE_DB
    threshold = np.percentile(level[audible], 95) - ACTIVITY_BELOW_P95_DB
    return audible & (level >= threshold)


def _masked_power(x: np.ndarray, mask: np.ndarray, frame: int) -> float:
    frames = x[:mask.size * frame].astype(np.float64).reshape(mask.size, frame)
    return float(np.mean(np.square(frames[mask])))


def active_snr_db(speech: np.ndarray, noise: np.ndarray, rate_hz: int = SAMPLE_RATE_HZ) -> float:
    """10 log10 of speech power over noise power, both over the frames where speech is active."""
    if speech.shape != noise.shape:
        raise ValueError(f"speech.shape={speech.shape} noise.shape={noise.shape}")
    mask = activity_mask(speech, rate_hz)
    frame = int(round(ACTIVITY_FRAME_S * rate_hz))
    return 10.0 * np.log10(_masked_power(speech, mask, frame) / _masked_power(noise, mask, frame))


def _noise_excerpt(noise: np.ndarray, length: int, offset: int) -> np.ndarray:
    if noise.size >= length:
        return noise[offset:offset + length]
    return np.resize(np.roll(noise, -offset), length)


def mix(clean: np.ndarray, noise: np.ndarray, seed: int, irs: Sequence[np.ndarray] = (),
        config: MixConfig = MixConfig(), rate_hz: int = SAMPLE_RATE_HZ,
        clean_bandwidth_hz: Optional[float] = None) -> Mixture:
    """Mix ``clean`` with an excerpt of ``noise`` using draws from ``default_rng(seed)``.

    ``irs`` is the impulse-response bank of the split (may be empty: no reverb). Output
    arrays are float32 with the length of ``clean``. ``clean_bandwidth_hz`` is the clean
    clip's own bandwidth (manifest column ``bandwidth_hz``): with the default
    ``clean_band_policy="lowpass"`` the whole example is low-passed there when it is below
    0.45 x rate, so a band-limited recording never teaches the model to delete speech above
    its band along with the full-band noise. The price: nearly every example is band-limited
    somewhere between 7 and 20 kHz, and little training noise reaches the top band;
    ``"record"`` keeps full-band noise for a trainer that masks its loss above the clip's
    bandwidth instead.
    """
    if clean.ndim != 1 or noise.ndim != 1:
        raise ValueError(f"clean.shape={clean.shape} noise.shape={noise.shape}; expected mono 1-D")
    if noise.size == 0 or not np.any(noise):
        raise ValueError(f"noise has {noise.size} samples and no energy")
    rng = np.random.default_rng(seed)
    # Draw everything up front in a fixed order: one example's draws never depend on another
    # option's outcome, so changing one probability does not reshuffle the rest.
    snr_db = float(rng.uniform(*config.snr_db_range))
    peak_dbfs = float(rng.uniform(*config.peak_dbfs_range))
    use_reverb = bool(rng.random() < config.reverb_probability) and len(irs) > 0
    ir_index = int(rng.integers(0, max(len(irs), 1)))
    use_lowpass = bool(rng.random() < config.lowpass_probability)
    cutoff_hz = float(config.lowpass_cutoffs_hz[rng.integers(0, len(config.lowpass_cutoffs_hz))])
    offset = int(rng.integers(0, max(noise.size - clean.size, 0) + 1)) if noise.size >= clean.size \
        else int(rng.integers(0, noise.size))

    n = clean.size
    x = clean.astype(np.float64)
    speech, target = x, x
    if use_reverb:
        ir = np.asarray(irs[ir_index], dtype=np.float64)
        direct = int(np.argmax(np.abs(ir)))
        speech = signal.fftconvolve(x, ir)[:n]
        if config.target == "early":
            target = signal.fftconvolve(x, ir[:direct + int(round(config.early_s * rate_hz))])[:n]
        else:
            target = np.concatenate((np.zeros(direct), x))[:n] * ir[direct]
    noise_part = _noise_excerpt(noise, n, offset).astype(np.float64)
    clean_limit_hz = (clean_bandwidth_hz or np.inf) if config.clean_band_policy == "lowpass" else np.inf
    effective_hz = min(cutoff_hz if use_lowpass else np.inf, clean_limit_hz)
    if effective_hz < 0.45 * rate_hz:
        sos = signal.butter(config.lowpass_order, effective_hz, "lowpass", fs=rate_hz, output="sos")
        speech, target, noise_part = (signal.sosfilt(sos, s) for s in (speech, target, noise_part))

    mask = activity_mask(speech, rate_hz)
    frame = int(round(ACTIVITY_FRAME_S * rate_hz))
    speech_power = _masked_power(speech, mask, frame)
    noise_power = _masked_power(noise_part, mask, frame)
    if noise_power <= 1e-30:
        raise ValueError(f"noise excerpt at offset={offset} is silent where speech is active")
    noise_part = noise_part * np.sqrt(speech_power / (noise_power * 10.0 ** (snr_db / 10.0)))
    mixture = speech + noise_part
    peak = max(np.max(np.abs(mixture)), np.max(np.abs(target)))
    gain = 10.0 ** (peak_dbfs / 20.0) / peak
    metadata = {
        "seed": int(seed),
        "snr_db": snr_db,
        "peak_dbfs": peak_dbfs,
        "gain_db": float(20.0 * np.log10(gain)),
        "reverb_ir_index": ir_index if use_reverb else None,
        "target": config.target if use_reverb else "dry",
        "lowpass_hz": float(effective_hz) if effective_hz < 0.45 * rate_hz else None,
        "clean_bandwidth_hz": None if clean_bandwidth_hz is None else float(clean_bandwidth_hz),
        "noise_offset": offset,
        "active_fraction": float(np.mean(mask)),
    }
    return Mixture(*(np.asarray(a * gain, dtype=np.float32) for a in (mixture, target, speech, noise_part)),
                   metadata=metadata)


class CorpusMixer:
    """Examples for one split of a built corpus (``python -m training.corpus build``).

    Example ``i`` uses seed ``SeedSequence([base_seed, i])``: it picks a clean clip, a
    ``segment_s`` excerpt of it, a noise clip, and calls :func:`mix` with the split's IRs.
    The metadata names the clip ids and the seed, enough to rebuild the example.
    """

    def __init__(self, corpus_dir: pathlib.Path, split: str, base_seed: int,
                 segment_s: float = 4.0, config: MixConfig = MixConfig()):
        from . import audio  # soundfile is only needed when reading a corpus

        self._audio = audio
        self.corpus_dir = pathlib.Path(corpus_dir)
        self.split = split
        self.base_seed = base_seed
        self.segment = int(round(segment_s * SAMPLE_RATE_HZ))
        self.config = config
        self.speech_ids = self._ids("speech")
        self.noise_ids = self._ids("noise")
        self.ir_ids = self._ids("ir")
        self._irs = [audio.read_wav(self.corpus_dir / i) for i in self.ir_ids]
        self._bandwidth_hz = {}
        manifest = self.corpus_dir / "manifest_speech.csv"
        if manifest.exists():
            with open(manifest, newline="") as f:
                self._bandwidth_hz = {row["clip_id"]: float(row["bandwidth_hz"]) for row in csv.DictReader(f)}

    def _ids(self, kind: str) -> list[str]:
        path = self.corpus_dir / "splits" / f"{kind}_{self.split}.txt"
        return [line for line in path.read_text().splitlines() if line]

    def example(self, index: int) -> Mixture:
        """Example ``index``. A draw whose clean excerpt is silent or whose noise excerpt is
        silent under the speech is redrawn with seed ``SeedSequence([base_seed, index,
        attempt])``; ``attempt`` is recorded (0 for almost every example)."""
        for attempt in range(RETRIES):
            key = [self.base_seed, index] + ([attempt] if attempt else [])
            seed = int(np.random.SeedSequence(key).generate_state(1)[0])
            try:
                result = self._draw(seed)
            except ValueError:
                continue
            result.metadata.update(index=index, base_seed=self.base_seed, attempt=attempt)
            return result
        raise ValueError(f"example index={index} base_seed={self.base_seed}: {RETRIES} draws were silent")

    def _draw(self, seed: int) -> Mixture:
        rng = np.random.default_rng([seed, 1])  # selection stream, independent of mix()'s
        speech_id = self.speech_ids[rng.integers(0, len(self.speech_ids))]
        noise_id = self.noise_ids[rng.integers(0, len(self.noise_ids))]
        clean = self._audio.read_wav(self.corpus_dir / speech_id)
        start = int(rng.integers(0, max(clean.size - self.segment, 0) + 1))
        clean = clean[start:start + self.segment]
        noise = self._audio.read_wav(self.corpus_dir / noise_id)
        bandwidth = self._bandwidth_hz.get(speech_id)
        result = mix(clean, noise, seed, self._irs, self.config, clean_bandwidth_hz=bandwidth)
        ir_index = result.metadata["reverb_ir_index"]
        result.metadata.update(split=self.split,
                               speech_id=speech_id, speech_start=start, noise_id=noise_id,
                               ir_id=None if ir_index is None else self.ir_ids[ir_index])
        return result
