import numpy as np
import pytest

from training import mixing
from training.tests.signals import RATE_HZ, decaying_ir, pink_noise, speech_like

IRS = [decaying_ir(1), decaying_ir(2)]
CONFIGS = {
    "plain": mixing.MixConfig(reverb_probability=0.0, lowpass_probability=0.0),
    "reverb_early": mixing.MixConfig(reverb_probability=1.0, lowpass_probability=0.0),
    "reverb_dry": mixing.MixConfig(reverb_probability=1.0, lowpass_probability=0.0, target="dry"),
    "lowpass": mixing.MixConfig(reverb_probability=0.0, lowpass_probability=1.0),
    "everything": mixing.MixConfig(reverb_probability=1.0, lowpass_probability=1.0),
}


def independent_active_snr_db(speech, noise):
    """Recompute the speech-active SNR from the definition, not through mixing's helpers."""
    frame = int(0.010 * RATE_HZ)
    count = speech.size // frame
    s = speech[:count * frame].astype(np.float64).reshape(count, frame)
    v = noise[:count * frame].astype(np.float64).reshape(count, frame)
    level = 10 * np.log10(np.maximum(np.mean(s ** 2, axis=1), 1e-30))
    audible = level > level.max() - 100
    active = audible & (level >= np.percentile(level[audible], 95) - 30)
    return 10 * np.log10(np.mean(s[active] ** 2) / np.mean(v[active] ** 2))


@pytest.mark.parametrize("config_name", sorted(CONFIGS))
@pytest.mark.parametrize("seed", range(6))
def test_mixture_hits_requested_snr_within_0_1_db(config_name, seed):
    result = mixing.mix(speech_like(seed), pink_noise(100 + seed), seed, IRS, CONFIGS[config_name])
    measured = independent_active_snr_db(result.speech, result.noise)
    assert abs(measured - result.metadata["snr_db"]) < 0.1, (measured, result.metadata)
    assert -5.0 <= result.metadata["snr_db"] <= 20.0


@pytest.mark.parametrize("snr_db", [-5.0, 0.0, 10.0, 20.0])
def test_snr_is_speech_active_not_whole_clip(snr_db):
    # Half of this clip is silence: whole-clip power would read ~3 dB lower than active power.
    clean = np.concatenate([np.zeros(RATE_HZ, dtype=np.float32), speech_like(7, 1.0)])
    config = mixing.MixConfig(snr_db_range=(snr_db, snr_db), reverb_probability=0.0, lowpass_probability=0.0)
    result = mixing.mix(clean, pink_noise(8), 3, (), config)
    assert abs(mixing.active_snr_db(result.speech, result.noise) - snr_db) < 0.1
    whole = 10 * np.log10(np.mean(result.speech.astype(np.float64) ** 2) / np.mean(result.noise.astype(np.float64) ** 2))
    assert whole < snr_db - 2.0


@pytest.mark.parametrize("config_name", sorted(CONFIGS))
@pytest.mark.parametrize("seed", range(20))
def test_gain_keeps_peak_at_most_one_and_at_drawn_level(config_name, seed):
    # Loud input (peak 1) and low SNR: the worst case for clipping before the gain stage.
    clean = speech_like(seed) * 2.0
    config = CONFIGS[config_name]
    result = mixing.mix(clean, pink_noise(seed) * 5.0, seed, IRS, config)
    peak = max(np.max(np.abs(result.mixture)), np.max(np.abs(result.target)))
    assert peak <= 1.0
    assert abs(20 * np.log10(peak) - result.metadata["peak_dbfs"]) < 1e-3
    assert -25.0 <= result.metadata["peak_dbfs"] <= 0.0


def test_zero_dbfs_peak_does_not_clip():
    config = mixing.MixConfig(peak_dbfs_range=(0.0, 0.0))
    for seed in range(10):
        result = mixing.mix(speech_like(seed), pink_noise(seed), seed, IRS, config)
        assert np.max(np.abs(result.mixture)) <= 1.0
        assert np.max(np.abs(result.target)) <= 1.0


def test_mixture_is_speech_plus_noise():
    result = mixing.mix(speech_like(4), pink_noise(4), 4, IRS, CONFIGS["everything"])
    np.testing.assert_allclose(result.mixture, result.speech + result.noise, atol=1e-6)
    assert all(np.all(np.isfinite(a)) for a in (result.mixture, result.target))


def test_same_seed_same_example_and_seed_recorded():
    clean, noise = speech_like(5), pink_noise(5)
    a = mixing.mix(clean, noise, 1234, IRS)
    b = mixing.mix(clean, noise, 1234, IRS)
    assert a.metadata == b.metadata
    assert a.metadata["seed"] == 1234
    for x, y in ((a.mixture, b.mixture), (a.target, b.target)):
        np.testing.assert_array_equal(x, y)


def test_different_seeds_differ():
    clean, noise = speech_like(5), pink_noise(5)
    draws = {tuple(sorted((k, str(v)) for k, v in mixing.mix(clean, noise, s, IRS).metadata.items() if k != "seed"))
             for s in range(8)}
    assert len(draws) == 8


def test_draws_cover_the_configured_options():
    clean, noise = speech_like(6, 1.0), pink_noise(6, 1.5)
    metas = [mixing.mix(clean, noise, s, IRS).metadata for s in range(200)]
    assert {m["lowpass_hz"] for m in metas} == {None, 4000.0, 6000.0, 8000.0, 12000.0, 20000.0}
    assert {m["reverb_ir_index"] for m in metas} == {None, 0, 1}
    snrs = np.array([m["snr_db"] for m in metas])
    assert snrs.min() < -3 and snrs.max() > 18


def test_dry_target_is_delayed_clean_and_early_target_keeps_early_reflections():
    clean = speech_like(9)
    ir = decaying_ir(9)
    direct = int(np.argmax(np.abs(ir)))
    base = dict(reverb_probability=1.0, lowpass_probability=0.0, peak_dbfs_range=(-6.0, -6.0))
    dry = mixing.mix(clean, pink_noise(9), 1, [ir], mixing.MixConfig(target="dry", **base))
    early = mixing.mix(clean, pink_noise(9), 1, [ir], mixing.MixConfig(target="early", **base))
    gain = 10 ** (dry.metadata["gain_db"] / 20)
    np.testing.assert_allclose(dry.target[direct:], gain * clean[:-direct], atol=1e-5)
    # early target is closer to the reverberant speech than the dry one, but not equal to it
    err_early = np.sum((early.target - early.speech) ** 2)
    err_dry = np.sum((dry.target / 10 ** (dry.metadata["gain_db"] / 20) * 10 ** (early.metadata["gain_db"] / 20)
                      - early.speech) ** 2)
    assert 0 < err_early < err_dry


def test_lowpass_removes_energy_above_cutoff_from_mixture_and_target():
    config = mixing.MixConfig(reverb_probability=0.0, lowpass_probability=1.0, lowpass_cutoffs_hz=(4000.0,))
    noise = np.random.default_rng(0).standard_normal(3 * RATE_HZ).astype(np.float32)
    result = mixing.mix(speech_like(2), noise, 2, (), config)
    for x in (result.mixture, result.target):
        spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size))) ** 2  # window: no edge leakage
        freqs = np.fft.rfftfreq(x.size, 1 / RATE_HZ)
        # 8th-order Butterworth: -48 dB at one octave above the cutoff
        assert np.sum(spectrum[freqs > 8000]) < 1e-4 * np.sum(spectrum)
        assert np.sum(spectrum[freqs > 16000]) < 1e-8 * np.sum(spectrum)


def test_short_noise_is_looped_to_clip_length():
    result = mixing.mix(speech_like(3, 2.0), pink_noise(3, 0.5), 3, (), CONFIGS["plain"])
    assert result.noise.size == result.mixture.size == 2 * RATE_HZ


@pytest.mark.parametrize("bad", [np.zeros(RATE_HZ, dtype=np.float32), np.zeros(0, dtype=np.float32)])
def test_silent_noise_is_rejected_with_its_size(bad):
    with pytest.raises(ValueError, match="samples"):
        mixing.mix(speech_like(1), bad, 1)


def test_rejects_clipping_config():
    with pytest.raises(ValueError, match="clip"):
        mixing.MixConfig(peak_dbfs_range=(-10.0, 3.0))


def test_band_limited_clean_clip_band_limits_the_whole_example():
    config = mixing.MixConfig(reverb_probability=0.0, lowpass_probability=0.0)
    noise = np.random.default_rng(1).standard_normal(3 * RATE_HZ).astype(np.float32)
    result = mixing.mix(speech_like(1), noise, 1, (), config, clean_bandwidth_hz=7000.0)
    assert result.metadata["lowpass_hz"] == 7000.0
    spectrum = np.abs(np.fft.rfft(result.mixture * np.hanning(result.mixture.size))) ** 2
    freqs = np.fft.rfftfreq(result.mixture.size, 1 / RATE_HZ)
    assert np.sum(spectrum[freqs > 14000]) < 1e-4 * np.sum(spectrum)
    full_band = mixing.mix(speech_like(1), noise, 1, (), config, clean_bandwidth_hz=22000.0)
    assert full_band.metadata["lowpass_hz"] is None
    recorded = mixing.mix(speech_like(1), noise, 1, (), mixing.MixConfig(
        reverb_probability=0.0, lowpass_probability=0.0, clean_band_policy="record"), clean_bandwidth_hz=7000.0)
    assert recorded.metadata["lowpass_hz"] is None and recorded.metadata["clean_bandwidth_hz"] == 7000.0
    spectrum = np.abs(np.fft.rfft(recorded.noise * np.hanning(recorded.noise.size))) ** 2
    assert np.sum(spectrum[freqs > 14000]) > 0.2 * np.sum(spectrum)  # white noise keeps its top band


@pytest.mark.parametrize("gain", [1e-4, 1e-2, 1.0])
def test_activity_mask_does_not_depend_on_gain(gain):
    clean = np.concatenate([np.zeros(RATE_HZ // 2), speech_like(12, 2.0), 1e-6 * pink_noise(12, 0.5)])
    np.testing.assert_array_equal(mixing.activity_mask(clean), mixing.activity_mask(clean * gain))
