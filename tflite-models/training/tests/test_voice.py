"""Voice model data, counting and loss math. Pure numpy; the TensorFlow checks at the end skip
cleanly where TensorFlow is not installed (CI installs only requirements.txt)."""

import json

import numpy as np
import pytest

from training import voice_dataset as vd
from training import voice_model as vm


def header(frames):
    return {"format": "denoise-rnn-frames", "feature_version": 1, "frames": frames,
            "feature_count": 42, "target_count": 23, "sample_rate": 48000, "hop_samples": 480}


def rows(frames, seed=0):
    r = np.random.default_rng(seed).normal(size=(frames, 65)).astype("<f4")
    r[:, 42:64] = np.random.default_rng(seed + 1).uniform(-1, 1, size=(frames, 22))
    return r


def test_parse_rows_splits_features_gains_and_vad_in_the_java_layout():
    r = rows(7)
    f, g, v = vd.parse_rows(r.tobytes(), header(7))
    assert f.shape == (7, 42) and g.shape == (7, 22) and v.shape == (7,)
    np.testing.assert_array_equal(f, r[:, :42])
    np.testing.assert_array_equal(g, r[:, 42:64])
    np.testing.assert_array_equal(v, r[:, 64])


@pytest.mark.parametrize("key,value", [("frames", 6), ("feature_version", 2), ("feature_count", 41),
                                       ("format", "other"), ("hop_samples", 512)])
def test_parse_rows_refuses_a_header_that_does_not_match(key, value):
    h = header(7)
    h[key] = value
    with pytest.raises(ValueError, match=key):
        vd.parse_rows(rows(7).tobytes(), h)


def test_parse_rows_refuses_a_partial_row():
    with pytest.raises(ValueError, match="65-float rows"):
        vd.parse_rows(rows(2).tobytes()[:-4])


def test_load_pair_reads_the_files_the_cli_writes(tmp_path):
    r = rows(5, seed=3)
    r.tofile(tmp_path / "p.f32")
    (tmp_path / "p.json").write_text(json.dumps(header(5)))
    f, g, v = vd.load_pair(tmp_path / "p")
    np.testing.assert_array_equal(np.concatenate([f, g, v[:, None]], axis=1), r)


def test_chunk_sequences_cuts_in_order_and_drops_short_tails():
    a = np.arange(10)[:, None]
    b = np.arange(100, 107)[:, None]
    chunks = vd.chunk_sequences([a, b], 3)
    assert chunks.shape == (5, 3, 1)
    np.testing.assert_array_equal(chunks[:, 0, 0], [0, 3, 6, 100, 103])
    with pytest.raises(ValueError):
        vd.chunk_sequences([a], 11)


def test_params_and_macs_of_the_rnnoise_sized_default_by_hand():
    # dense 42->24, GRU 24->24, dense 24->1, GRU 90->48, GRU 114->96, dense 96->22
    params = (42 * 24 + 24) + 3 * (24 * 24 + 24 * 24 + 24) + (24 + 1) \
        + 3 * (90 * 48 + 48 * 48 + 48) + 3 * (114 * 96 + 96 * 96 + 96) + (96 * 22 + 22)
    macs = 42 * 24 + 3 * (24 * 24 * 2) + 24 + 3 * (90 * 48 + 48 * 48) + 3 * (114 * 96 + 96 * 96) + 96 * 22
    assert vm.count_params({}) == params == 87503
    assert vm.macs_per_frame({}) == macs
    assert vm.macs_per_second({}) == 100 * macs
    assert vm.macs_per_second({}) <= 0.1e9


def test_macs_grow_with_the_configured_sizes():
    small = vm.macs_per_frame({})
    wide = vm.macs_per_frame({"denoise_gru": 192})
    assert wide > small
    assert wide - small == 3 * ((24 + 48 + 42) * 96 + 192 * 192 - 96 * 96) + 96 * 22


def test_gain_loss_is_zero_for_a_perfect_prediction_and_ignores_undefined_bands():
    rng = np.random.default_rng(5)
    target = rng.uniform(0, 1, size=(4, 10, 22))
    target[:, :, 3] = -1.0
    assert vm.gain_loss_np(target, np.where(target < 0, 0.3, target)) == pytest.approx(0.0, abs=1e-6)
    pred = rng.uniform(0, 1, size=target.shape)
    changed = pred.copy()
    changed[:, :, 3] = rng.uniform(0, 1, size=(4, 10))
    assert vm.gain_loss_np(target, pred) == pytest.approx(vm.gain_loss_np(target, changed), rel=1e-12)
    assert vm.gain_loss_np(-np.ones((2, 22)), pred[0, :2]) == 0.0


def test_gain_loss_value_by_hand():
    # d = sqrt(1) - sqrt(0.25) = 0.5: d^2 + 10 d^4 = 0.25 + 0.625; the undefined entry is not averaged.
    assert vm.gain_loss_np(np.array([0.25, -1.0]), np.array([1.0, 0.0])) == pytest.approx(0.875, rel=1e-6)
    assert vm.gain_loss_np(np.array([0.25]), np.array([1.0]), quartic_weight=0.0) == pytest.approx(0.25, rel=1e-6)


def test_vad_loss_weights_uncertain_frames_down():
    assert vm.vad_loss_np(np.array([0.5]), np.array([0.9])) == 0.0
    assert vm.vad_loss_np(np.array([1.0]), np.array([0.5])) == pytest.approx(np.log(2), rel=1e-6)
    # target 0.75 has weight 0.5
    v, p = 0.75, 0.4
    expected = 0.5 * -(v * np.log(p) + (1 - v) * np.log(1 - p))
    assert vm.vad_loss_np(np.array([v]), np.array([p])) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("seed", range(20))
def test_random_biquad_is_stable_and_refuses_unstable_strengths(seed):
    b, a = vd.random_biquad(np.random.default_rng(seed), 0.375)
    assert b[0] == a[0] == 1.0
    assert np.all(np.abs(np.roots(a)) < 1.0)
    with pytest.raises(ValueError):
        vd.random_biquad(np.random.default_rng(seed), 0.5)


@pytest.mark.parametrize("slope", [0.0, 1.0, 2.0])
def test_coloured_noise_has_the_requested_spectral_slope(slope):
    x = vd.coloured_noise(np.random.default_rng(3), 1 << 16, slope)
    assert np.sqrt(np.mean(x.astype(np.float64) ** 2)) == pytest.approx(1.0, rel=1e-3)
    power = np.abs(np.fft.rfft(x)) ** 2
    f = np.arange(power.size)
    band = (f > 100) & (f < 10000)
    fitted = np.polyfit(np.log(f[band]), np.log(power[band]), 1)[0]
    assert fitted == pytest.approx(-slope, abs=0.1)


def test_augment_noise_is_seeded_and_has_the_requested_length():
    rng = np.random.default_rng(4)
    noise, other = rng.normal(size=3000).astype(np.float32), rng.normal(size=500).astype(np.float32)
    aug = {"synthetic_p": 0.3, "second_noise_p": 0.5, "filter_strength": 0.375}
    first = [vd.augment_noise(noise, other, 4800, np.random.default_rng([9, k]), aug) for k in range(10)]
    again = [vd.augment_noise(noise, other, 4800, np.random.default_rng([9, k]), aug) for k in range(10)]
    for (x, info), (y, info2) in zip(first, again):
        assert x.shape == (4800,) and np.all(np.isfinite(x))
        np.testing.assert_array_equal(x, y)
        assert info == info2
    # Nothing enabled: the noise, looped to length, unfiltered.
    x, info = vd.augment_noise(noise, other, 4800, np.random.default_rng(1), {})
    assert info["synthetic_noise_slope"] is None and info["second_noise_db"] is None
    np.testing.assert_allclose(np.sort(x[:3000]), np.sort(noise), atol=1e-6)  # a rotation of it
    np.testing.assert_allclose(x[3000:], x[:1800], atol=1e-6)  # looped


# --------------------------------------------------------------------- TensorFlow only


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow", reason="tensorflow is not installed (requirements-train.txt)")


def test_tf_losses_match_the_numpy_reference(tf):
    rng = np.random.default_rng(7)
    target = rng.uniform(-0.2, 1, size=(3, 20, 22)).astype(np.float32)
    target[target < 0] = -1.0
    pred = rng.uniform(0.01, 0.99, size=target.shape).astype(np.float32)
    got = float(vm.gain_loss_tf(10.0)(tf.constant(target), tf.constant(pred)))
    assert got == pytest.approx(vm.gain_loss_np(target, pred), rel=1e-4)
    v = rng.uniform(0, 1, size=(3, 20, 1)).astype(np.float32)
    p = rng.uniform(0.01, 0.99, size=v.shape).astype(np.float32)
    assert float(vm.vad_loss_tf()(tf.constant(v), tf.constant(p))) == pytest.approx(vm.vad_loss_np(v, p), rel=1e-4)


def test_one_frame_graph_equals_the_sequence_graph_and_counts_match(tf):
    cfg = {"input_dense": 8, "vad_gru": 6, "noise_gru": 10, "denoise_gru": 12}
    rng = np.random.default_rng(9)
    nets = vm.build(cfg, rng.normal(size=42), rng.uniform(0.5, 2, size=42), seed=1)
    trainable = sum(int(np.prod(w.shape)) for w in nets["sequence"].trainable_weights)
    assert trainable == vm.count_params(cfg)
    x = rng.normal(size=(1, 30, 42)).astype(np.float32)
    seq = nets["sequence"](x)
    states = {k: np.zeros((1, n), np.float32) for k, n in vm.state_sizes(cfg).items()}
    gains = []
    for t in range(x.shape[1]):
        out = nets["stream"]({"features": x[:, t], **states})
        states = {k: np.asarray(out[k + "_out"]) for k in vm.STATE_NAMES}
        gains.append(np.asarray(out["gains"])[0])
    np.testing.assert_allclose(np.array(gains), np.asarray(seq["gains"])[0], atol=1e-5)
    assert np.all((np.array(gains) > 0) & (np.array(gains) < 1))
