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


def rnnoise_centre_bins():
    # Centres in Hz (200 Hz × Opus's eband5ms, as BandLayout documents) on 46.875 Hz bins.
    hz = 200.0 * np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 34, 40, 48, 60, 78, 100])
    return np.round(hz / 46.875).astype(int)


def test_band_widths_are_half_the_distance_between_neighbouring_centres():
    c = rnnoise_centre_bins()
    w = vm.band_widths()
    assert w.shape == (22,) and w.sum() == pytest.approx(513, abs=1e-9)  # every bin's weights sum to 1
    # A triangle from centre b-1 to centre b+1 with peak 1 covers (c[b+1] - c[b-1]) / 2 bins.
    np.testing.assert_allclose(w[1:-1], (c[2:] - c[:-2]) / 2, atol=1e-9)
    assert w[0] == pytest.approx((c[1] - c[0] + 1) / 2)
    assert w[-1] == pytest.approx((c[-1] - c[-2] - 1) / 2 + 513 - c[-1])


def test_band_amplitudes_recover_the_energies_behind_the_cepstrum():
    from scipy.fft import dct

    rng = np.random.default_rng(3)
    energy = 10.0 ** rng.uniform(-9, 1, size=(4, 7, 22))
    energy[0, 0, 5] = 0.0  # a silent band: log10 of the floor, amplitude 0
    cepstrum = dct(np.log10(energy + 1e-10), type=2, norm="ortho", axis=-1)
    features = np.concatenate([cepstrum, rng.normal(size=(4, 7, 20))], axis=-1).astype(np.float32)
    got = vm.band_amplitudes(features)
    want = np.sqrt(energy * vm.band_widths())
    assert got.dtype == np.float32 and got.shape == (4, 7, 22)
    # float32 cepstra carry ~1e-7 relative error in log10 E, i.e. well under 1e-4 in amplitude;
    # the silent band comes back as the floor's rounding, ~1e-8 (a full-scale band is ~10).
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-7)


def test_band_sdr_loss_by_hand():
    one = np.ones((1, 1))
    # Clean magnitude 0.5, output 0: distortion = signal, 10 log10(1 + tau).
    assert vm.band_sdr_loss_np(0.5 * one, one, 0 * one) == pytest.approx(10 * np.log10(1.001), rel=1e-6)
    # Output 0.75 against 0.5 with amplitude 2: error 0.5, signal 1 -> 10 log10(0.25 + 0.001).
    assert vm.band_sdr_loss_np(0.5 * one, 2 * one, 0.75 * one) == pytest.approx(10 * np.log10(0.251), rel=1e-6)
    # A perfect output is capped at -max_db.
    assert vm.band_sdr_loss_np(0.5 * one, one, 0.5 * one, max_db=20) == pytest.approx(-20, rel=1e-9)


def test_band_sdr_loss_ignores_undefined_bands_and_the_sequence_level():
    rng = np.random.default_rng(5)
    g = rng.uniform(0, 1, size=(2, 30, 22))
    g[:, :, 20:] = -1.0
    a = rng.uniform(0, 3, size=g.shape)
    p = rng.uniform(0, 1, size=g.shape)
    base = vm.band_sdr_loss_np(g, a, p)
    changed = p.copy()
    changed[:, :, 20:] = 0.9
    assert vm.band_sdr_loss_np(g, a, changed) == pytest.approx(base, rel=1e-12)
    # Each sequence is its own ratio: scaling one sequence's amplitudes changes nothing.
    scaled = a.copy()
    scaled[1] *= 1000.0
    assert vm.band_sdr_loss_np(g, scaled, p) == pytest.approx(base, rel=1e-9)
    # Errors where the speech is loud cost more than the same gain error where it is quiet.
    loud = a.copy()
    loud[:, :, :10] *= 10
    worse = np.where(np.arange(22) < 10, p, g)  # errors only in the loud bands
    better = np.where(np.arange(22) >= 10, p, g)  # the same kind of errors in the quiet ones
    assert vm.band_sdr_loss_np(g, loud, worse) > vm.band_sdr_loss_np(g, loud, better)


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


def test_tf_band_sdr_loss_matches_the_numpy_reference(tf):
    rng = np.random.default_rng(8)
    g = rng.uniform(-0.2, 1, size=(3, 20, 22)).astype(np.float32)
    g[g < 0] = -1.0
    a = rng.uniform(0, 2, size=g.shape).astype(np.float32)
    p = rng.uniform(0.01, 0.99, size=g.shape).astype(np.float32)
    got = float(vm.band_sdr_loss_tf(25.0)(tf.constant(np.concatenate([g, a], -1)), tf.constant(p)))
    assert got == pytest.approx(vm.band_sdr_loss_np(g, a, p, max_db=25.0), rel=1e-4)


def test_band_sdr_term_trains_through_the_sequence_graph(tf):
    from training import train_voice

    config = {"seed": 1, "model": {"input_dense": 8, "vad_gru": 6, "noise_gru": 10, "denoise_gru": 12},
              "loss": {"gain_quartic_weight": 10.0, "vad_weight": 0.5, "band_sdr_weight": 0.05},
              "train": {"learning_rate": 0.01, "jit_compile": False}}
    rng = np.random.default_rng(2)
    split = {"x": rng.normal(size=(4, 25, 42)).astype(np.float32),
             "gains": rng.uniform(0, 1, size=(4, 25, 22)).astype(np.float32),
             "vad": rng.uniform(0, 1, size=(4, 25, 1)).astype(np.float32)}
    y = train_voice.targets(split, config)
    assert y["band_sdr"].shape == (4, 25, 44)
    np.testing.assert_array_equal(y["band_sdr"][..., :22], split["gains"])
    assert "band_sdr" not in train_voice.targets(split, {**config, "loss": {"vad_weight": 0.5}})
    nets = vm.build(config["model"], np.zeros(42), np.ones(42), seed=1, band_sdr_output=True)
    train_voice.compile_model(nets, config)
    first = nets["sequence"].evaluate(split["x"], y, verbose=0, return_dict=True)
    for _ in range(30):
        nets["sequence"].train_on_batch(split["x"], y)
    last = nets["sequence"].evaluate(split["x"], y, verbose=0, return_dict=True)
    assert set(first) >= {"gains_loss", "vad_loss", "band_sdr_loss"}
    assert last["band_sdr_loss"] < first["band_sdr_loss"]
    # The one-frame graph (what ships) has no band_sdr output.
    assert "band_sdr" not in nets["stream"].output


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
