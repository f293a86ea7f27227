"""Spectral-mask models (U-Net, CRN): loss, data arrays, MAC counting, shapes, causality,
streaming == sequence, TFLite export and manifests, the CPU budget. Tiny models, no corpus;
the TensorFlow tests skip where TensorFlow is not installed (requirements-train.txt)."""

import json

import numpy as np
import pytest

from training import voice_mask_data as vmd
from training import voice_stft as vs

from .signals import speech_like

TINY = {
    "unet": {"encoder": [2, 3], "time_kernel": 2, "freq_kernel": 3, "bottleneck_dilations": [2],
             "decoder_time_kernel": 2},
    "crn": {"encoder": [2, 3], "time_kernel": 1, "freq_kernel": 3, "lstm": 4},
}


def tf_or_skip():
    return pytest.importorskip("tensorflow", reason="tensorflow is not installed (requirements-train.txt)")


# ---------------------------------------------------------------------------- numpy only


def loss_np(mask, xc, sc):
    from training import voice_mask

    return voice_mask.compressed_mse_np(mask, xc, sc)


def test_loss_is_zero_for_the_ideal_mask_and_the_noisy_error_for_mask_one():
    rng = np.random.default_rng(0)
    x = rng.uniform(0.1, 2.0, (3, 5))
    s = x * rng.uniform(0.0, 1.0, (3, 5))
    ideal = s / x
    assert loss_np(ideal, x ** 0.3, s ** 0.3) == pytest.approx(0.0, abs=1e-12)
    assert loss_np(np.ones_like(x), x ** 0.3, s ** 0.3) == pytest.approx(np.mean((x ** 0.3 - s ** 0.3) ** 2))
    # A mask of 0 is floored at 1e-7 (a finite gradient of m^0.3).
    floor = 1e-7 ** 0.3
    assert loss_np(np.zeros_like(x), x ** 0.3, s ** 0.3) == pytest.approx(np.mean((floor * x ** 0.3 - s ** 0.3) ** 2))


def test_example_arrays_are_consistent_with_the_stft():
    rng = np.random.default_rng(3)
    clean = speech_like(3, 0.5)
    noisy = clean + 0.05 * rng.standard_normal(clean.size).astype(np.float32)
    a = vmd.example_arrays(noisy, clean)
    assert set(a) == {"lnp", "xc", "sc"} and all(v.shape == (50, 513) for v in a.values())
    x, s = vs.forward(noisy), vs.forward(clean)
    np.testing.assert_allclose(a["lnp"], np.log(np.abs(x) ** 2 + 1e-8), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(a["xc"], np.abs(x) ** 0.3, rtol=1e-5)
    np.testing.assert_allclose(a["sc"], np.abs(s) ** 0.3, rtol=1e-5, atol=1e-6)


def test_chunks_cover_each_example_without_overlap():
    index = vmd.chunk_index(3, 1000, 300)
    assert index.tolist() == [[e, s] for e in range(3) for s in (0, 300, 600)]
    arrays = {"lnp": np.arange(3 * 1000 * 2, dtype=np.float16).reshape(3, 1000, 2)}
    b = vmd.gather(arrays, index[[4, 0]], 300)
    assert b["lnp"].dtype == np.float32 and b["lnp"].shape == (2, 300, 2)
    np.testing.assert_array_equal(b["lnp"][0], arrays["lnp"][1, 300:600].astype(np.float32))


# ---------------------------------------------------------------------------- MACs


def test_mac_walk_counts_conv_dense_and_lstm_by_hand():
    tf_or_skip()
    import keras
    from keras import layers

    from training import voice_mask

    x = keras.Input((3, 9, 2), batch_size=1)
    conv = layers.Conv2D(4, (2, 3), strides=(1, 2), padding="valid")(x)  # -> [1, 2, 4, 4]
    flat = layers.Reshape((32,))(conv)
    dense = layers.Dense(5)(flat)  # 32 * 5
    h, c = keras.Input((3,), batch_size=1), keras.Input((3,), batch_size=1)
    y, _ = layers.LSTMCell(3)(dense, [h, c])  # 4 gates * (5 * 3 + 3 * 3)
    model = keras.Model([x, h, c], y)
    conv_macs = (2 * 4 * 4) * (2 * 3 * 2)  # outputs * kernel taps * input channels
    assert voice_mask.macs_per_frame(model) == conv_macs + 32 * 5 + 4 * (5 * 3 + 3 * 3)
    # Dense over [1, positions, features] counts every position.
    z = keras.Input((1, 7, 6), batch_size=1)
    assert voice_mask.macs_per_frame(keras.Model(z, layers.Dense(2)(z))) == 7 * 6 * 2


def test_mac_walk_refuses_a_weighted_layer_it_has_no_rule_for():
    tf_or_skip()
    import keras
    from keras import layers

    from training import voice_mask

    x = keras.Input((4, 3), batch_size=1)
    model = keras.Model(x, layers.BatchNormalization()(layers.Conv1D(2, 1)(x)))
    with pytest.raises(ValueError, match="BatchNormalization"):
        voice_mask.macs_per_frame(model)


# ---------------------------------------------------------------------------- models


def build(arch, seed=1, mask="magnitude"):
    tf_or_skip()
    from training import train_voice_mask, voice_mask

    module = train_voice_mask.architecture({"architecture": arch})
    rng = np.random.default_rng(seed)
    model = {**TINY[arch], "mask": mask}
    return voice_mask.build(module.forward, model, rng.normal(0, 1, 513), rng.uniform(1, 3, 513), seed=seed)


def spectra(seed, frames):
    rng = np.random.default_rng(seed)
    return rng.normal(-2.0, 4.0, (frames, 513)).astype(np.float32)


@pytest.mark.parametrize("arch", ["unet", "crn"])
def test_shapes_and_mask_range(arch):
    nets = build(arch)
    out = nets["sequence"](np.stack([spectra(0, 12), spectra(1, 12)])).numpy()
    assert out.shape == (2, 12, 513)
    assert np.all((out >= 0) & (out <= 1))
    stream = nets["stream"]
    names = [t.name for t in stream.inputs]
    assert names[0] == "spectrum" and sorted(names[1:]) == sorted(nets["state_names"])
    feed = {"spectrum": spectra(2, 1), **{k: np.zeros((1, n), np.float32) for k, n in nets["state_sizes"].items()}}
    res = stream(feed)
    assert res["mask"].shape == (1, 513)
    for k, n in nets["state_sizes"].items():
        assert res[k + "_out"].shape == (1, n)
    if arch == "crn":
        assert nets["state_sizes"] == {"lstm_h": 4, "lstm_c": 4}
    else:
        # Each 2-frame causal conv carries one frame of its input; the dilation-2 one two.
        assert nets["state_sizes"]["enc1_hist"] == 513 * 1 and nets["state_sizes"]["mid1_hist"] == 2 * 129 * 3


@pytest.mark.parametrize("arch", ["unet", "crn"])
def test_a_future_frame_does_not_change_past_masks(arch):
    nets = build(arch)
    x = spectra(3, 20)
    y = x.copy()
    y[12:] = spectra(4, 8) + 5.0
    a, b = nets["sequence"](x[None]).numpy()[0], nets["sequence"](y[None]).numpy()[0]
    np.testing.assert_array_equal(a[:12], b[:12])
    assert np.max(np.abs(a[12:] - b[12:])) > 1e-4  # the change does reach the frames it is in


@pytest.mark.parametrize("arch", ["unet", "crn"])
def test_one_frame_graph_with_fed_back_state_equals_the_sequence_model(arch):
    from training import voice_mask

    nets = build(arch, seed=5)
    x = spectra(6, 16)
    seq = nets["sequence"](x[None]).numpy()[0]
    stream = voice_mask.keras_stream(nets["stream"], x, nets["state_sizes"])
    np.testing.assert_allclose(stream, seq, atol=2e-6)
    # Without the state the frames would differ: the state carries real history.
    first = voice_mask.keras_stream(nets["stream"], x[5:6], nets["state_sizes"])
    assert np.max(np.abs(first[0] - seq[5])) > 1e-5


def test_unet_receptive_field_matches_its_formula():
    from training import voice_unet

    nets = build("unet")
    frames = voice_unet.receptive_frames(TINY["unet"])
    assert frames == 2 * 1 + 1 * 2 + 2 * 1
    x = spectra(7, 20)
    base = nets["sequence"](x[None]).numpy()[0]
    for past in (frames, frames + 1):
        y = x.copy()
        y[19 - past] += 3.0
        changed = np.max(np.abs(nets["sequence"](y[None]).numpy()[0][19] - base[19])) > 0
        assert changed == (past <= frames)


@pytest.mark.parametrize("arch", ["unet", "crn"])
def test_tflite_export_runs_the_same_stream_and_writes_a_valid_manifest(arch, tmp_path):
    from training import manifest, train_voice_mask, voice_mask

    nets = build(arch, seed=8)
    sizes = nets["state_sizes"]
    x = spectra(9, 10)
    reference = voice_mask.keras_stream(nets["stream"], x, sizes)
    blob = train_voice_mask.convert(nets["stream"], sizes, False)
    runner = train_voice_mask.TfliteMaskStream(blob)
    np.testing.assert_allclose(runner.run(x, sizes), reference, atol=1e-5)
    calib = voice_mask.recorded_states(nets["stream"], spectra(10, 30), sizes, range(0, 30, 2))
    blob8 = train_voice_mask.convert(nets["stream"], sizes, True, calib)
    runner8 = train_voice_mask.TfliteMaskStream(blob8)
    assert runner8.inputs["spectrum"]["dtype"] == np.int8
    assert np.max(np.abs(runner8.run(x, sizes) - reference)) < 0.25
    # Weights-only int8 keeps float inputs, outputs and activations: nearly the float model.
    dynamic = train_voice_mask.TfliteMaskStream(train_voice_mask.convert(nets["stream"], sizes, True, None,
                                                                        weights_only=True))
    assert all(d["dtype"] == np.float32 for d in dynamic.inputs.values())
    assert np.max(np.abs(dynamic.run(x, sizes) - reference)) < 0.05
    extra = {"params": voice_mask.count_params(nets["sequence"]), "macs_per_frame": voice_mask.macs_per_frame(nets["stream"])}
    m = manifest.mask_model_manifest(blob8, runner8.interpreter, runner8.runner, list(sizes), extra)
    assert m["kind"] == "spectral_mask" and m["bins"] == 513 and m["mask"] == "magnitude"
    assert [t["name"] for t in m["inputs"]] == ["spectrum"] + list(sizes)
    assert m["states"] == [{"input": k, "output": k + "_out"} for k in sizes]
    manifest.check_against_model(m, blob8)
    broken = json.loads(json.dumps(m))
    broken["hop"] = 512
    with pytest.raises(manifest.ManifestError, match="hop"):
        manifest.validate(broken)
    broken = json.loads(json.dumps(m))
    del broken["macs_per_frame"]
    with pytest.raises(manifest.ManifestError, match="macs_per_frame"):
        manifest.validate(broken)


def test_training_stops_after_the_step_that_crosses_the_cpu_budget_and_resumes(tmp_path):
    from training import runlog, train_voice_mask

    nets = build("crn", seed=11)
    rng = np.random.default_rng(12)

    def split(n):
        x = rng.uniform(0.1, 3.0, (n, 40, 513))
        s = x * rng.uniform(0, 1, x.shape)
        return {"arrays": {"lnp": np.log(x ** 2 + 1e-8).astype(np.float16), "xc": (x ** 0.3).astype(np.float16),
                           "sc": (s ** 0.3).astype(np.float16)}}

    data = {"train": split(4), "val": split(1)}
    config = {"seed": 3, "train": {"sequence_frames": 20, "batch_size": 2, "learning_rate": 1e-3, "clipnorm": 1.0,
                                   "cpu_budget_minutes": 0.02, "eval_every_steps": 3}}
    log = runlog.Log(tmp_path / "log.txt")
    state = train_voice_mask.train(nets, data, config, tmp_path, log)
    assert state["cpu_s"] >= 0.02 * 60
    assert state["history"][-1]["step"] == state["step"]  # validated and checkpointed at the stop
    assert (tmp_path / "ckpt" / "best.weights.h5").exists()
    first = state["step"]
    config["train"]["cpu_budget_minutes"] = 0.04
    resumed = train_voice_mask.train(nets, data, config, tmp_path, log)
    assert resumed["step"] > first and resumed["cpu_s"] >= 0.04 * 60
    assert "resumed after step" in (tmp_path / "log.txt").read_text()


# ---------------------------------------------------------------------------- complex mask


def compressed(z):
    return np.abs(z) ** 0.3 * np.exp(1j * np.angle(z))


def test_complex_loss_is_the_magnitude_loss_when_the_estimate_has_the_targets_phase():
    from training import voice_mask

    rng = np.random.default_rng(20)
    x = rng.normal(0, 1, (4, 7)) + 1j * rng.normal(0, 1, (4, 7))
    s = rng.normal(0, 1, (4, 7)) + 1j * rng.normal(0, 1, (4, 7))
    gain = rng.uniform(0.1, 2.0, x.shape)
    in_phase = gain * np.exp(1j * (np.angle(s) - np.angle(x)))  # |M| = gain, angle(M X) = angle(S)
    mag = voice_mask.compressed_mse_np(gain, np.abs(x) ** 0.3, np.abs(s) ** 0.3)
    assert voice_mask.complex_compressed_mse_np(in_phase, compressed(x), compressed(s)) == pytest.approx(mag, rel=1e-9)
    # The same magnitudes with the noisy phase (a real mask) cost more: the loss sees phase.
    assert voice_mask.complex_compressed_mse_np(gain, compressed(x), compressed(s)) > mag + 0.05
    # The ideal complex mask S / X costs nothing, mask 1 the compressed noisy error.
    assert voice_mask.complex_compressed_mse_np(s / x, compressed(x), compressed(s)) == pytest.approx(0.0, abs=1e-9)
    one = voice_mask.complex_compressed_mse_np(np.ones(1), compressed(x), compressed(s))
    expected = 0.3 * np.mean(np.abs(compressed(x) - compressed(s)) ** 2) + \
        0.7 * np.mean((np.abs(x) ** 0.3 - np.abs(s) ** 0.3) ** 2)
    assert one == pytest.approx(expected, rel=1e-9)


def test_complex_loss_in_tensorflow_equals_numpy():
    tf_or_skip()
    from training import voice_mask

    rng = np.random.default_rng(21)
    m = rng.uniform(-2, 2, (2, 5, 513, 2)).astype(np.float32)
    x = compressed(rng.normal(0, 1, (2, 5, 513)) + 1j * rng.normal(0, 1, (2, 5, 513)))
    s = compressed(rng.normal(0, 1, (2, 5, 513)) + 1j * rng.normal(0, 1, (2, 5, 513)))
    arrays = {"xcr": x.real, "xci": x.imag, "scr": s.real, "sci": s.imag}
    arrays = {k: v.astype(np.float32) for k, v in arrays.items()}
    got = float(voice_mask.loss_tf("complex", m, arrays))
    assert got == pytest.approx(voice_mask.loss_np("complex", voice_mask.as_mask("complex", m), arrays), rel=1e-5)


def test_complex_example_arrays_hold_the_compressed_spectra_under_their_own_cache_key(tmp_path):
    rng = np.random.default_rng(4)
    clean = speech_like(3, 0.5)
    noisy = clean + 0.05 * rng.standard_normal(clean.size).astype(np.float32)
    a = vmd.example_arrays(noisy, clean, "complex")
    assert set(a) == {"lnp", "xcr", "xci", "scr", "sci"} and all(v.shape == (50, 513) for v in a.values())
    x, s = vs.forward(noisy), vs.forward(clean)
    np.testing.assert_allclose(a["xcr"] + 1j * a["xci"], compressed(x), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(a["scr"] + 1j * a["sci"], compressed(s), rtol=1e-4, atol=1e-5)
    # |c(X)| is the magnitude cache's xc, and lnp is the same input.
    m = vmd.example_arrays(noisy, clean)
    np.testing.assert_allclose(np.hypot(a["xcr"], a["xci"]), m["xc"], rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(a["lnp"], m["lnp"])
    # The magnitude caches keep their folders; the complex one gets its own.
    assert vmd.split_folder(tmp_path, "train", 800, 1001, 10.0).name == "train_800x10s_seed1001"
    assert vmd.split_folder(tmp_path, "train", 800, 1001, 10.0, "complex").name == "train_800x10s_seed1001_complex"


@pytest.mark.parametrize("arch", ["unet", "crn"])
def test_complex_head_has_two_channels_bounded_by_two(arch):
    from training import voice_mask

    nets = build(arch, mask="complex")
    assert nets["mask"] == "complex"
    out = nets["sequence"](np.stack([spectra(0, 12), spectra(1, 12)])).numpy()
    assert out.shape == (2, 12, 513, 2)
    assert np.all(np.abs(out) <= 2.0) and np.min(out) < 0 < np.max(out)  # signed parts
    feed = {"spectrum": spectra(2, 1), **{k: np.zeros((1, n), np.float32) for k, n in nets["state_sizes"].items()}}
    res = nets["stream"](feed)
    assert "mask" not in res and res["mask_re"].shape == (1, 513) and res["mask_im"].shape == (1, 513)
    # Saturate the head: the parts approach the bound of 2 and do not pass it.
    dec1 = nets["sequence"].get_layer("dec1")
    kernel, bias = dec1.get_weights()
    dec1.set_weights([kernel * 1e3, bias])
    big = nets["sequence"](spectra(3, 6)[None]).numpy()
    assert np.max(np.abs(big)) > 1.99 and np.all(np.abs(big) <= 2.0)
    assert voice_mask.COMPLEX_BOUND == 2.0


def test_complex_crn_one_frame_graph_equals_the_sequence_model():
    from training import voice_mask

    nets = build("crn", seed=5, mask="complex")
    x = spectra(6, 16)
    seq = voice_mask.as_mask("complex", nets["sequence"](x[None]).numpy()[0])
    stream = voice_mask.keras_stream(nets["stream"], x, nets["state_sizes"])
    assert np.iscomplexobj(stream) and np.max(np.abs(stream.imag)) > 1e-3
    np.testing.assert_allclose(stream, seq, atol=2e-6)
    first = voice_mask.keras_stream(nets["stream"], x[5:6], nets["state_sizes"])
    assert np.max(np.abs(first[0] - seq[5])) > 1e-5


def test_complex_tflite_export_and_manifest(tmp_path):
    from training import manifest, train_voice_mask, voice_mask

    nets = build("crn", seed=8, mask="complex")
    sizes = nets["state_sizes"]
    x = spectra(9, 10)
    reference = voice_mask.keras_stream(nets["stream"], x, sizes)
    blob = train_voice_mask.convert(nets["stream"], sizes, False, kind="complex")
    runner = train_voice_mask.TfliteMaskStream(blob)
    np.testing.assert_allclose(runner.run(x, sizes), reference, atol=1e-5)
    dynamic = train_voice_mask.TfliteMaskStream(train_voice_mask.convert(nets["stream"], sizes, True, None,
                                                                        weights_only=True, kind="complex"))
    assert np.max(np.abs(dynamic.run(x, sizes) - reference)) < 0.05
    extra = {"params": voice_mask.count_params(nets["sequence"]), "macs_per_frame": voice_mask.macs_per_frame(nets["stream"])}
    m = manifest.mask_model_manifest(blob, runner.interpreter, runner.runner, list(sizes), extra, mask="complex")
    assert m["mask"] == "complex"
    assert [t["name"] for t in m["outputs"]] == ["mask_re", "mask_im"] + [k + "_out" for k in sizes]
    assert all(t["shape"] == [1, 513] for t in m["outputs"][:2])
    manifest.check_against_model(m, blob)
    broken = json.loads(json.dumps(m))
    broken["mask"] = "magnitude"  # a magnitude model needs a "mask" output
    with pytest.raises(manifest.ManifestError, match='"mask" tensor'):
        manifest.validate(broken)
    broken = json.loads(json.dumps(m))
    broken["outputs"] = [t for t in broken["outputs"] if t["name"] != "mask_im"]
    with pytest.raises(manifest.ManifestError, match="mask_im"):
        manifest.validate(broken)
    # The converter is asked for the outputs of the mask kind: a magnitude export of this graph fails.
    with pytest.raises(Exception, match="mask"):
        train_voice_mask.convert(nets["stream"], sizes, False)


def test_complex_training_runs_on_complex_arrays(tmp_path):
    from training import runlog, train_voice_mask

    nets = build("crn", seed=13, mask="complex")
    rng = np.random.default_rng(14)

    def split(n):
        x = rng.normal(0, 1, (n, 40, 513)) + 1j * rng.normal(0, 1, (n, 40, 513))
        s = x * rng.uniform(0, 1, x.shape) * np.exp(1j * rng.uniform(-0.3, 0.3, x.shape))
        cx, cs = compressed(x), compressed(s)
        arrays = {"lnp": np.log(np.abs(x) ** 2 + 1e-8), "xcr": cx.real, "xci": cx.imag, "scr": cs.real, "sci": cs.imag}
        return {"arrays": {k: v.astype(np.float16) for k, v in arrays.items()}}

    data = {"train": split(4), "val": split(1)}
    config = {"seed": 3, "train": {"sequence_frames": 20, "batch_size": 2, "learning_rate": 1e-3, "clipnorm": 1.0,
                                   "cpu_budget_minutes": 0.01, "eval_every_steps": 3}}
    state = train_voice_mask.train(nets, data, config, tmp_path, runlog.Log(tmp_path / "log.txt"))
    assert state["step"] > 0 and np.isfinite(state["best_val_loss"])
    assert train_voice_mask.passthrough_loss(data["val"]["arrays"], "complex") > 0
