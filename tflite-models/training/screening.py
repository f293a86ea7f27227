"""Noisy-label screening of "clean" speech clips by frame-energy statistics.

Short frames (20 ms, 10 ms hop) are measured in dBFS. Frames of digital silence
(below ``DIGITAL_SILENCE_DB``) are left out, so that zero padding around a clip neither
hides its noise floor nor counts as one. Of the remaining frames, the 95th percentile is
the speech level and the 10th percentile the noise floor; their difference is the
estimated SNR. Clips with at least a few tenths of a second of pauses get a good floor
estimate; on a clip that is speech from end to end the 10th percentile lands on quiet
speech, which underestimates the SNR, so screening errs towards dropping.

Clipping is judged by the fraction of samples within 0.2 dB of the clip's own peak, not
by samples at full scale: decoded Ogg Vorbis of a source normalised to 0 dBFS overshoots
past 1.0 without being clipped, while a flat-topped (clipped) master keeps many samples at
its peak even after lossy coding. Clean speech here has ~0.00002-0.0002 of its samples that
close to the peak.
"""

from __future__ import annotations

import dataclasses

import numpy as np

FRAME_SECONDS = 0.020
HOP_SECONDS = 0.010
DIGITAL_SILENCE_DB = -100.0
SPEECH_PERCENTILE = 95.0
FLOOR_PERCENTILE = 10.0
ACTIVE_BELOW_SPEECH_DB = 30.0
NEAR_PEAK_RATIO = 10.0 ** (-0.2 / 20.0)


@dataclasses.dataclass(frozen=True)
class Thresholds:
    """Limits a clean-speech clip must meet to be kept (see README for the choice)."""

    min_snr_db: float = 25.0
    max_floor_dbfs: float = -35.0
    min_duration_s: float = 0.5
    min_active_s: float = 0.2
    max_clipped_fraction: float = 0.001


@dataclasses.dataclass(frozen=True)
class Screening:
    """Frame statistics of one clip and the verdict."""

    duration_s: float
    speech_dbfs: float
    floor_dbfs: float
    snr_db: float
    active_s: float
    clipped_fraction: float
    kept: bool
    reason: str  # "" when kept, else the first failed check


def frame_levels_db(samples: np.ndarray, rate_hz: int, frame_s: float = FRAME_SECONDS,
                    hop_s: float = HOP_SECONDS) -> np.ndarray:
    """Mean-square level in dBFS of each full frame (a sine of peak 1 reads -3 dBFS)."""
    frame = int(round(frame_s * rate_hz))
    hop = int(round(hop_s * rate_hz))
    if samples.size < frame:
        return np.zeros(0)
    power = np.square(samples.astype(np.float64))
    cumulative = np.concatenate(([0.0], np.cumsum(power)))
    starts = np.arange(0, samples.size - frame + 1, hop)
    mean_power = (cumulative[starts + frame] - cumulative[starts]) / frame
    return 10.0 * np.log10(np.maximum(mean_power, 1e-12))


def screen(samples: np.ndarray, rate_hz: int, thresholds: Thresholds = Thresholds()) -> Screening:
    """Measure ``samples`` (float, full scale 1.0) and decide keep or drop."""
    duration_s = samples.size / rate_hz
    magnitude = np.abs(samples)
    peak = float(np.max(magnitude)) if samples.size else 0.0
    clipped = float(np.mean(magnitude >= NEAR_PEAK_RATIO * peak)) if peak > 0 else 0.0
    levels = frame_levels_db(samples, rate_hz)
    levels = levels[levels > DIGITAL_SILENCE_DB]
    if levels.size == 0:
        return Screening(duration_s, -120.0, -120.0, 0.0, 0.0, clipped, False, "silent")
    speech = float(np.percentile(levels, SPEECH_PERCENTILE))
    floor = float(np.percentile(levels, FLOOR_PERCENTILE))
    active_s = float(np.count_nonzero(levels > speech - ACTIVE_BELOW_SPEECH_DB)) * HOP_SECONDS
    snr = speech - floor
    if duration_s < thresholds.min_duration_s:
        reason = f"duration<{thresholds.min_duration_s:g}s"
    elif active_s < thresholds.min_active_s:
        reason = f"active<{thresholds.min_active_s:g}s"
    elif clipped > thresholds.max_clipped_fraction:
        reason = f"clipped>{thresholds.max_clipped_fraction:g}"
    elif snr < thresholds.min_snr_db:
        reason = f"snr<{thresholds.min_snr_db:g}dB"
    elif floor > thresholds.max_floor_dbfs:
        reason = f"floor>{thresholds.max_floor_dbfs:g}dBFS"
    else:
        reason = ""
    return Screening(duration_s, speech, floor, snr, active_s, clipped, reason == "", reason)
