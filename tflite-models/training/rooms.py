"""Synthetic room impulse responses, to top up the single measured one.

The only measured room response reachable offline is jconvolver's ``street2`` (the other
files there are filters, not rooms), so training reverb comes from a statistical model:
a unit direct path after a short pre-delay, a few sparse early reflections in the first
50 ms, and a Gaussian late tail whose decay is faster at high frequencies (three bands,
crossover 500 Hz and 4 kHz, band RT60 scaled 1.2 / 1.0 / 0.6).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import signal

EARLY_SECONDS = 0.050


@dataclasses.dataclass(frozen=True)
class RoomDraw:
    """Parameters of one synthetic response, recorded in the IR manifest."""

    rt60_s: float
    predelay_s: float
    drr_db: float  # direct-to-reverberant energy ratio


def synthetic_ir(rng: np.random.Generator, rate_hz: int) -> tuple[np.ndarray, RoomDraw]:
    """Draw one response: RT60 0.15-1.0 s, pre-delay 0-5 ms, DRR -3..+12 dB."""
    draw = RoomDraw(rt60_s=float(rng.uniform(0.15, 1.0)),
                    predelay_s=float(rng.uniform(0.0, 0.005)),
                    drr_db=float(rng.uniform(-3.0, 12.0)))
    length = int(round((draw.predelay_s + 1.2 * draw.rt60_s) * rate_hz))
    direct = int(round(draw.predelay_s * rate_hz))
    t = np.arange(length - direct) / rate_hz
    tail = np.zeros(length - direct)
    bands = ((None, 500.0, 1.2), (500.0, 4000.0, 1.0), (4000.0, None, 0.6))
    for low, high, rt_scale in bands:
        if low is None:
            sos = signal.butter(4, high, "lowpass", fs=rate_hz, output="sos")
        elif high is None:
            sos = signal.butter(4, low, "highpass", fs=rate_hz, output="sos")
        else:
            sos = signal.butter(4, (low, high), "bandpass", fs=rate_hz, output="sos")
        noise = signal.sosfilt(sos, rng.standard_normal(t.size))
        tail += noise * np.exp(-6.9078 * t / (draw.rt60_s * rt_scale))
    tail[0] = 0.0
    early_taps = rng.integers(int(0.002 * rate_hz), int(EARLY_SECONDS * rate_hz), size=8)
    tail[early_taps] += rng.uniform(-0.6, 0.6, size=8)
    reverberant_energy = float(np.sum(tail ** 2))
    tail *= np.sqrt(10.0 ** (-draw.drr_db / 10.0) / reverberant_energy)
    ir = np.zeros(length, dtype=np.float64)
    ir[direct] = 1.0
    ir[direct:] += tail
    return ir.astype(np.float32), draw
