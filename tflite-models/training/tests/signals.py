"""Seeded synthetic stand-ins for speech and noise (no corpus needed)."""

import numpy as np

RATE_HZ = 48000


def speech_like(seed: int, seconds: float = 2.0, rate_hz: int = RATE_HZ) -> np.ndarray:
    """Harmonic bursts (syllables, 120-220 Hz pitch) separated by true silence, peak ~0.5."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate_hz)
    out = np.zeros(n)
    t = np.arange(n) / rate_hz
    start = int(0.1 * rate_hz)
    while start < n - int(0.3 * rate_hz):
        length = int(rng.uniform(0.12, 0.3) * rate_hz)
        f0 = rng.uniform(120, 220)
        seg = t[start:start + length]
        voiced = sum(np.sin(2 * np.pi * k * f0 * seg + rng.uniform(0, 2 * np.pi)) / k for k in range(1, 12))
        out[start:start + length] = voiced * np.hanning(length)
        start += length + int(rng.uniform(0.05, 0.2) * rate_hz)
    return (0.5 * out / np.max(np.abs(out))).astype(np.float32)


def pink_noise(seed: int, seconds: float = 3.0, rate_hz: int = RATE_HZ) -> np.ndarray:
    """1/f noise by spectral shaping, RMS 0.1."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate_hz)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(spectrum.size)
    spectrum[1:] /= np.sqrt(f[1:])
    x = np.fft.irfft(spectrum, n)
    return (0.1 * x / np.sqrt(np.mean(x ** 2))).astype(np.float32)


def decaying_ir(seed: int, seconds: float = 0.3, rate_hz: int = RATE_HZ) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(seconds * rate_hz)
    ir = rng.standard_normal(n) * np.exp(-np.arange(n) / (0.05 * rate_hz)) * 0.3
    ir[int(0.002 * rate_hz)] = 1.0
    ir[:int(0.002 * rate_hz)] = 0.0
    return ir.astype(np.float32)
