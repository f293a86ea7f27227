"""Decoding to the corpus format: mono, 48 kHz, 16-bit PCM WAV.

libsndfile (through soundfile) decodes every format the sources use: WAV, FLAC, Ogg
Vorbis and Ogg Opus. Multichannel files are averaged to mono; the rate is converted with
a polyphase FIR (``scipy.signal.resample_poly``, Kaiser window, its default design).
"""

from __future__ import annotations

import io
import math
import pathlib
from typing import BinaryIO, Union

import numpy as np
import soundfile as sf
from scipy import signal

SAMPLE_RATE_HZ = 48000


def decode(source: Union[str, pathlib.Path, BinaryIO, bytes]) -> tuple[np.ndarray, int]:
    """Decode a file (path, file object or bytes) to float32 mono; return (samples, rate)."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    samples, rate = sf.read(source, dtype="float32", always_2d=True)
    return samples.mean(axis=1), rate


def to_rate(samples: np.ndarray, rate_hz: int, target_hz: int = SAMPLE_RATE_HZ) -> np.ndarray:
    """Resample float samples from ``rate_hz`` to ``target_hz`` (identity when equal)."""
    if rate_hz == target_hz:
        return samples.astype(np.float32, copy=False)
    g = math.gcd(rate_hz, target_hz)
    return signal.resample_poly(samples, target_hz // g, rate_hz // g).astype(np.float32)


def write_wav16(path: pathlib.Path, samples: np.ndarray, rate_hz: int = SAMPLE_RATE_HZ) -> float:
    """Write mono 16-bit PCM; return the gain applied (dB, <= 0).

    Lossy decoders and resampling overshoot full-scale sources (decoded Ogg peaks reach
    ~1.2 here); rather than clip those samples the clip is scaled to a 0.999 peak.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    gain = 0.999 / peak if peak > 0.999 else 1.0
    sf.write(str(path), samples * gain, rate_hz, subtype="PCM_16")
    return 20.0 * math.log10(gain)


def read_wav(path: Union[str, pathlib.Path]) -> np.ndarray:
    """Read a corpus clip (mono 48 kHz) as float32."""
    samples, rate = sf.read(str(path), dtype="float32")
    if rate != SAMPLE_RATE_HZ or samples.ndim != 1:
        raise ValueError(f"{path}: rate={rate} channels={samples.ndim}; corpus clips are mono "
                         f"{SAMPLE_RATE_HZ} Hz")
    return samples


def bandwidth_hz(samples: np.ndarray, rate_hz: int, below_max_db: float = 60.0) -> float:
    """Highest frequency where the clip's Welch spectrum is within ``below_max_db`` of its
    maximum: ~7 kHz for festvox-ru (16 kHz source), ~7.9 kHz for the band-limited
    fillets-ng-data-nl, ~20 kHz for full-band 44.1 kHz recordings. A clip with a flat
    hiss floor reads as full band."""
    if samples.size < 256:
        return 0.0
    freqs, psd = signal.welch(samples, fs=rate_hz, nperseg=min(2048, samples.size))
    peak = float(np.max(psd))
    if peak <= 0:
        return 0.0
    above = np.nonzero(psd > peak * 10.0 ** (-below_max_db / 10.0))[0]
    return float(freqs[above[-1]])
