import numpy as np
import pytest

from training import screening
from training.tests.signals import RATE_HZ, speech_like


def white(seed, n, dbfs):
    """White noise at ``dbfs`` mean-square level."""
    return (np.random.default_rng(seed).standard_normal(n) * 10 ** (dbfs / 20)).astype(np.float32)


@pytest.mark.parametrize("seed", range(4))
def test_keeps_clean_clip_with_low_floor(seed):
    clean = speech_like(seed, 3.0)
    clip = clean + white(seed, clean.size, -80.0)
    verdict = screening.screen(clip, RATE_HZ)
    assert verdict.kept, verdict
    assert verdict.snr_db > 40
    assert abs(verdict.floor_dbfs - (-80.0)) < 3.0


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("floor_dbfs", [-35.0, -30.0, -20.0])
def test_drops_clip_with_raised_noise_floor(seed, floor_dbfs):
    clean = speech_like(seed, 3.0)
    clip = clean + white(seed, clean.size, floor_dbfs)
    verdict = screening.screen(clip, RATE_HZ)
    assert not verdict.kept
    assert verdict.reason.startswith(("snr<", "floor>")), verdict
    assert abs(verdict.floor_dbfs - floor_dbfs) < 3.0


def test_zero_padding_does_not_hide_a_noisy_floor():
    clean = speech_like(1, 2.0)
    noisy = clean + white(1, clean.size, -35.0)
    padded = np.concatenate([np.zeros(RATE_HZ, np.float32), noisy, np.zeros(RATE_HZ, np.float32)])
    verdict = screening.screen(padded, RATE_HZ)
    assert not verdict.kept
    assert verdict.floor_dbfs > -40.0


def test_floor_limit_catches_a_loud_noisy_clip_whose_snr_passes():
    clean = speech_like(2, 3.0) * 2.0  # speech level ~ -9 dBFS
    clip = clean + white(2, clean.size, -42.0)
    thresholds = screening.Thresholds(min_snr_db=25.0, max_floor_dbfs=-45.0)
    verdict = screening.screen(clip, RATE_HZ, thresholds)
    assert verdict.snr_db > 25.0
    assert verdict.reason == "floor>-45dBFS"


def test_drops_too_short_and_silent_and_clipped_clips():
    assert screening.screen(speech_like(3, 2.0)[:int(0.4 * RATE_HZ)], RATE_HZ).reason == "duration<0.5s"
    assert screening.screen(np.zeros(RATE_HZ, np.float32), RATE_HZ).reason == "silent"
    clipped = np.clip(speech_like(3, 2.0) * 4.0, -1.0, 1.0)
    assert screening.screen(clipped, RATE_HZ).reason.startswith("clipped>")


def test_frame_level_of_full_scale_sine_is_minus_3_dbfs():
    t = np.arange(RATE_HZ) / RATE_HZ
    levels = screening.frame_levels_db(np.sin(2 * np.pi * 1000 * t), RATE_HZ)
    np.testing.assert_allclose(levels, -3.0103, atol=0.01)
