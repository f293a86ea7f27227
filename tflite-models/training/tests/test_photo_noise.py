"""Photo training noise and crops: signal properties on seeded synthetic images. Pure numpy,
scipy and Pillow; no corpus needed."""

import numpy as np
import pytest

from training import photo_noise as pn


def ramp(h=64, w=64):
    """Smooth colour image spanning dark to bright, away from the clip limits."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = 0.08 + 0.84 * x / (w - 1)
    return np.stack([base, 0.9 * base + 0.05, 0.8 * base + 0.1 * y / (h - 1)], -1).astype(np.float32)


def is_8bit(x):
    return np.allclose(x * 255, np.rint(x * 255), atol=1e-4) and x.min() >= 0 and x.max() <= 1


@pytest.mark.parametrize("kind", pn.KINDS)
@pytest.mark.parametrize("gray", [False, True])
def test_every_kind_gives_8bit_output_and_a_level_matching_the_noise(kind, gray):
    clean = ramp()
    if gray:
        clean = pn.to_gray3(clean)
    cfg = pn.NoiseConfig(jpeg_p=0.0)
    for seed in range(5):
        noisy, level, used = pn.add_noise(clean, np.random.default_rng(seed), cfg, gray, kind)
        assert noisy.shape == clean.shape and noisy.dtype == np.float32
        assert is_8bit(noisy)
        assert 0 <= level <= cfg.sigma_cap / 255
        if gray:
            assert np.array_equal(noisy[..., 0], noisy[..., 1]) and np.array_equal(noisy[..., 1], noisy[..., 2])
        if used != "gaussian":  # measured level: the std of what was added (after 8-bit rounding)
            assert level == pytest.approx(float(np.std(noisy - clean)), rel=1e-5)


def test_gaussian_level_is_the_nominal_sigma_and_the_noise_has_it():
    clean = np.full((128, 128, 3), 0.5, np.float32)
    cfg = pn.NoiseConfig(jpeg_p=0.0, sigma_max=55.0)
    noisy, level, _ = pn.add_noise(clean, np.random.default_rng(3), cfg, False, "gaussian")
    assert 0 < level <= 55 / 255
    assert float(np.std(noisy - clean)) == pytest.approx(level, rel=0.05, abs=0.6 / 255)


def test_poisson_gaussian_noise_is_signal_dependent_and_stronger_in_dark_regions_after_gamma():
    dark = np.full((96, 96, 3), 0.1, np.float32)
    bright = np.full((96, 96, 3), 0.8, np.float32)
    cfg = pn.NoiseConfig(jpeg_p=0.0)
    ratios = []
    for seed in range(6):
        nd, _, _ = pn.add_noise(dark, np.random.default_rng(seed), cfg, False, "poisson_gaussian")
        nb, _, _ = pn.add_noise(bright, np.random.default_rng(seed), cfg, False, "poisson_gaussian")
        ratios.append(np.std(nd - dark) / max(np.std(nb - bright), 1e-6))
    # sRGB gamma: the slope at 0.1 is ~2.6x the slope at 0.8, more than the shot noise loses.
    assert np.median(ratios) > 1.2


def test_correlated_noise_correlates_neighbours_and_white_noise_does_not():
    clean = np.full((128, 128, 3), 0.5, np.float32)
    cfg = pn.NoiseConfig(jpeg_p=0.0)

    def neighbour_corr(kind):
        n, _, _ = pn.add_noise(clean, np.random.default_rng(7), cfg, False, kind)
        d = (n - clean)[..., 0]
        return np.corrcoef(d[:, :-1].ravel(), d[:, 1:].ravel())[0, 1]

    assert neighbour_corr("correlated") > 0.3
    assert abs(neighbour_corr("gaussian")) < 0.1


def test_chroma_noise_is_stronger_in_chroma_than_in_luma():
    clean = np.full((128, 128, 3), 0.5, np.float32)
    stds = []
    for seed in range(5):
        n, _, _ = pn.add_noise(clean, np.random.default_rng(seed), pn.NoiseConfig(jpeg_p=0.0), False, "chroma")
        d = n - clean
        luma = d @ pn.LUMA
        cb = -0.168736 * d[..., 0] - 0.331264 * d[..., 1] + 0.5 * d[..., 2]
        stds.append((np.std(luma), np.std(cb)))
    luma, cb = np.mean(stds, 0)
    assert cb > 0.5 * luma  # chroma sigma is 1-3x luma's (Cb's own scale is 1/1.772 of B's)


def test_jpeg_recompression_changes_the_crop_and_stays_8bit():
    pytest.importorskip("PIL")
    clean = ramp()
    cfg = pn.NoiseConfig(jpeg_p=1.0, jpeg_quality=(60, 60))
    with_jpeg, _, _ = pn.add_noise(clean, np.random.default_rng(1), cfg, False, "gaussian")
    without, _, _ = pn.add_noise(clean, np.random.default_rng(1), pn.NoiseConfig(jpeg_p=0.0), False, "gaussian")
    assert is_8bit(with_jpeg)
    assert np.mean(np.abs(with_jpeg - without)) > 1 / 255


def test_srgb_linear_round_trip():
    x = np.linspace(0, 1, 1001, dtype=np.float32)
    np.testing.assert_allclose(pn.linear_to_srgb(pn.srgb_to_linear(x)), x, atol=2e-6)


def test_batches_are_a_pure_function_of_seed_and_step():
    rng = np.random.default_rng(0)
    photos = [rng.integers(0, 256, (90, 120, 3), dtype=np.uint8), rng.integers(0, 256, (70, 70), dtype=np.uint8)]
    a = pn.PatchSampler(photos, 32, seed=5, cfg=pn.NoiseConfig())
    b = pn.PatchSampler(photos, 32, seed=5, cfg=pn.NoiseConfig())
    n1, l1, c1 = a.batch(17, 6)
    a.batch(3, 6)
    n2, l2, c2 = b.batch(17, 6)
    np.testing.assert_array_equal(n1, n2)
    np.testing.assert_array_equal(l1, l2)
    np.testing.assert_array_equal(c1, c2)
    n3, _, _ = a.batch(18, 6)
    assert not np.array_equal(n1, n3)
    assert n1.shape == (6, 32, 32, 3) and c1.min() >= 0 and c1.max() <= 1


def test_sampler_refuses_photos_smaller_than_the_patch():
    with pytest.raises(ValueError, match="smaller than the 64-pixel patch"):
        pn.PatchSampler([np.zeros((50, 80, 3), np.uint8)], 64, 0, pn.NoiseConfig())
