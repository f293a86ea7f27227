"""The project's standard STFT in numpy, as the Java runtime computes it.

``ClassicDenoiser.standardStft(48000)`` is ``Stft.of(SQRT_HANN, 960, 480)``: a periodic
square-root Hann window of 960 samples (``Windows.create``: ``sqrt(0.5 - 0.5 cos(2 pi i / n))``,
rounded to float32), hop 480 (10 ms), zero-padded to a 1024-point FFT, 513 bins. The forward
transform is unnormalised (``FloatFFT_1D.realForward``). ``StftStage`` keeps the last 960
input samples, starting from zeros, so frame ``t`` (0-based) holds samples
``[(t + 1) * 480 - 960, (t + 1) * 480)`` and a signal of ``n`` samples gives ``n // 480``
frames. The inverse (``Stft.inverseAdd``) is the 1/N-scaled inverse FFT times the synthesis
window ``w / sum_k w[i + k * hop]^2`` (1 for this window at 50 % overlap), overlap-added.

The spectral-mask models see ``ln(re^2 + im^2 + 1e-8)`` of each frame
(``/work/notes/mask_contract.md``), computed here by :func:`log_power`.
"""

from __future__ import annotations

import numpy as np

SAMPLE_RATE = 48000
WINDOW = 960
HOP = 480
FFT_SIZE = 1024
BINS = FFT_SIZE // 2 + 1
LOG_EPS = 1e-8


def sqrt_hann(n: int = WINDOW) -> np.ndarray:
    """``Windows.create(SQRT_HANN, n)``: periodic, computed in double, stored as float32."""
    if n < 2 or n % 2:
        raise ValueError(f"window length must be even and >= 2: n={n}")
    i = np.arange(n, dtype=np.float64)
    return np.sqrt(0.5 - 0.5 * np.cos(2.0 * np.pi * i / n)).astype(np.float32)


def synthesis_window(window: np.ndarray, hop: int) -> np.ndarray:
    """``Stft``'s synthesis window: the analysis window over its overlap-added power."""
    first = float(np.sum(window.astype(np.float64)[0::hop] ** 2))
    return (window / first).astype(np.float32)


def frames(signal: np.ndarray, window: int = WINDOW, hop: int = HOP) -> np.ndarray:
    """``[n // hop, window]`` frames in ``StftStage``'s order (history starts at zeros)."""
    x = np.asarray(signal, np.float32)
    count = x.size // hop
    padded = np.concatenate([np.zeros(window - hop, np.float32), x[:count * hop]])
    idx = np.arange(count)[:, None] * hop + np.arange(window)[None, :]
    return padded[idx]


def forward(signal: np.ndarray) -> np.ndarray:
    """Complex spectrum ``[frames, 513]`` of ``signal`` (float32 windowing, as ``Stft.forward``)."""
    windowed = frames(signal) * sqrt_hann()[None, :]
    return np.fft.rfft(windowed.astype(np.float64), n=FFT_SIZE, axis=1)


def inverse(spectrum: np.ndarray) -> np.ndarray:
    """Overlap-add synthesis as ``StftStage`` emits it: ``frames * hop`` samples, delayed by
    ``window - hop`` samples relative to the analysed signal (the stage's latency)."""
    count = spectrum.shape[0]
    blocks = np.fft.irfft(spectrum, n=FFT_SIZE, axis=1)[:, :WINDOW] * synthesis_window(sqrt_hann(), HOP)[None, :]
    out = np.zeros((count + 1) * HOP + WINDOW, np.float64)
    for t in range(count):
        out[t * HOP:t * HOP + WINDOW] += blocks[t]
    return out[:count * HOP]


def log_power(spectrum: np.ndarray) -> np.ndarray:
    """The models' input: ``ln(re^2 + im^2 + 1e-8)`` per bin."""
    return np.log(spectrum.real ** 2 + spectrum.imag ** 2 + LOG_EPS)
