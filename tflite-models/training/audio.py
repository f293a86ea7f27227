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


def write_wav16(path: pathlib.Path, samples: np.ndarray, rate_hz: int = SAMPLE_RATE_HZ) -> None:
    """Write mono 16-bit PCM; samples outside [-1, 1] are clipped by the PCM conversion."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), np.clip(samples, -1.0, 1.0), rate_hz, subtype="PCM_16")


def read_wav(path: Union[str, pathlib.Path]) -> np.ndarray:
    """Read a corpus clip (mono 48 kHz) as float32."""
    samples, rate = sf.read(str(path), dtype="float32")
    if rate != SAMPLE_RATE_HZ or samples.ndim != 1:
        raise ValueError(f"{path}: rate={rate} channels={samples.ndim}; corpus clips are mono "
                         f"{SAMPLE_RATE_HZ} Hz")
    return samples


def bandwidth_hz(samples: np.ndarray, rate_hz: int, fraction: float = 0.995) -> float:
    """Frequency below which ``fraction`` of the clip's energy lies (Welch spectrum).

    Used to record band-limited sources (e.g. fillets-ng-data-nl is cut at ~6-7 kHz).
    """
    if samples.size < 256:
        return 0.0
    freqs, psd = signal.welch(samples, fs=rate_hz, nperseg=min(2048, samples.size))
    cumulative = np.cumsum(psd)
    if cumulative[-1] <= 0:
        return 0.0
    return float(freqs[np.searchsorted(cumulative, fraction * cumulative[-1])])
