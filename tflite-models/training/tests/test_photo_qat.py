"""The photo denoiser's quantization-aware twin and its ranges (needs TensorFlow)."""

import json

import numpy as np
import pytest

from training import photo_model as pm

from .test_photo_int8 import CONFIG, TINY, _extremes, _model_and_calibration

QCONFIG = {**CONFIG, "export": {"clip_percentile": 99.0}, "train": {"quantization_aware": True}}


def _feed(calibration, i=0):
    image, level = calibration[i]
    return {"image": image, "noise_level": level}


def test_ranges_name_every_stored_tensor_stream_at_the_percentile_others_at_their_extremes():
    pytest.importorskip("tensorflow")
    from training import photo_int8, photo_qat

    m, calibration = _model_and_calibration()
    ranges = photo_qat.quant_ranges(m, QCONFIG, calibration)
    assert list(ranges) == pm.quant_points(TINY)
    assert ranges["image"] == [0.0, 1.0] and ranges["noise_level"] == [0.0, 1.0]
    stream = photo_int8.activation_ranges(m, TINY, calibration, 99.0)
    for name in photo_int8.residual_tensors(TINY):
        assert ranges[name] == stream[name], name
    others = ["block0_a", "block0_b", "noise", pm.OUTPUT_NAME]
    lo, hi = _extremes(m, others, calibration)
    for name in others:
        assert ranges[name] == [min(lo[name], 0.0), max(hi[name], 0.0)], name
    assert ranges["block0_a"][0] == 0.0, "a ReLU output never goes below 0"

    everywhere = {**QCONFIG, "train": {"quantization_aware": True, "quant_percentile": 99.0}}
    narrow = photo_qat.quant_ranges(m, everywhere, calibration)
    assert narrow["image"] == [0.0, 1.0]
    inner = ["head", "block0_b", "block0"]
    at_percentile = photo_int8.activation_ranges(m, TINY, calibration, 99.0, inner)
    assert {name: narrow[name] for name in inner} == at_percentile
    assert narrow["block0_b"][1] - narrow["block0_b"][0] < ranges["block0_b"][1] - ranges["block0_b"][0]
    assert photo_qat.whole_range_points(TINY) == ["block0_a", "noise", pm.OUTPUT_NAME]
    for name in photo_qat.whole_range_points(TINY):
        assert narrow[name] == ranges[name], f"{name} keeps its min/max"
    assert photo_qat.export_ranges({"quant_ranges": narrow}) == {
        name: r for name, r in narrow.items() if name not in ("image", "noise_level")}


def test_twin_rounds_each_kernel_per_output_channel_to_127_steps():
    pytest.importorskip("tensorflow")
    import tensorflow as tf

    from training import photo_qat

    m, calibration = _model_and_calibration()
    twin = photo_qat.twin(m, QCONFIG, photo_qat.quant_ranges(m, QCONFIG, calibration))
    layer = twin.get_layer("block0_b")
    kernel = layer.get_weights()[0]
    np.testing.assert_array_equal(kernel, m.get_layer("block0_b").get_weights()[0])
    step = np.abs(kernel).max(axis=(0, 1, 2)) / 127.0
    rounded = (np.round(kernel / step) * step).astype(np.float32)
    assert not np.array_equal(rounded, kernel)
    x = tf.constant(np.random.default_rng(1).normal(size=(1, 8, 8, kernel.shape[2])).astype(np.float32))
    expected = tf.nn.conv2d(x, rounded, 1, "SAME")
    np.testing.assert_allclose(np.asarray(layer.convolution_op(x, layer.kernel)), np.asarray(expected),
                               rtol=1e-5, atol=1e-6)


def test_twin_output_lies_on_the_int8_grid_of_its_range_and_is_nearer_the_int8_file_than_float():
    pytest.importorskip("tensorflow")
    from training import export_photo, photo_int8, photo_qat

    m, calibration = _model_and_calibration()
    ranges = photo_qat.quant_ranges(m, QCONFIG, calibration)
    twin = photo_qat.twin(m, QCONFIG, ranges)
    lo, hi = ranges[pm.OUTPUT_NAME]
    step = (hi - lo) / 255.0
    int8_file = export_photo.TfliteRunner(export_photo.convert(
        photo_int8.clipped_model(m, CONFIG, photo_qat.export_ranges({"quant_ranges": ranges})), 32, "int8", calibration))
    twin_err, float_err = [], []
    for i in range(len(calibration)):
        y = np.asarray(twin(_feed(calibration, i)))[0]
        assert lo - 1e-6 <= y.min() and y.max() <= hi + 1e-6
        codes = (y - y.min()) / step
        np.testing.assert_allclose(codes, np.round(codes), atol=2e-3)
        assert len(np.unique(np.round(codes))) <= 256
        reference = int8_file(calibration[i][0][0], 0.1)
        twin_err.append(np.abs(y - reference).mean())
        float_err.append(np.abs(np.asarray(m(_feed(calibration, i)))[0] - reference).mean())
    assert np.mean(twin_err) < np.mean(float_err)


def test_artefact_check_counts_pixels_far_from_float32_on_centre_crops():
    from training import export_photo

    images = [np.full((100, 90, 3), 128, np.uint8), np.full((70, 120), 60, np.uint8)]  # the second gray
    seen = []

    def float32(noisy, level):
        seen.append(noisy.shape)
        return np.clip(noisy, 0, 1)

    def int8(noisy, level):
        y = np.clip(noisy, 0, 1).copy()
        if level > 30 / 255:  # three pixels far off at sigma 50 only, one of them by 40/255
            y[0, 0, 0] += 40 / 255
            y[1, 1, 1] -= 12 / 255
            y[2, 2, 2] += 20 / 255
        return y

    found = export_photo.artefact_check(int8, float32, images, seed=3)
    assert found["size"] == 70 and set(seen) == {(70, 70, 3)}
    assert found["sigma15"] == {"pixels_over_8": 0, "pixels_over_16": 0, "max_error_255": 0}
    high = found["sigma50"]
    assert high["pixels_over_16"] == 4 and high["pixels_over_8"] == 6
    assert 38 <= high["max_error_255"] <= 40  # the top of the range clips a pixel that starts near 1


def test_build_wants_every_point_and_not_clip_as_well():
    pytest.importorskip("tensorflow")
    points = {p: [-1.0, 1.0] for p in pm.quant_points(TINY)}
    with pytest.raises(ValueError, match="missing \\['noise'\\]"):
        pm.build(TINY, fake_quant={p: r for p, r in points.items() if p != "noise"})
    with pytest.raises(ValueError, match="unknown \\['block7'\\]"):
        pm.build(TINY, fake_quant={**points, "block7": [-1.0, 1.0]})
    with pytest.raises(ValueError, match="give one"):
        pm.build({**TINY, "clip": {"head": [-1.0, 1.0]}}, fake_quant=points)


def test_checkpoint_of_the_twin_loads_into_the_plain_network(tmp_path):
    pytest.importorskip("tensorflow")
    from training import photo_qat

    m, calibration = _model_and_calibration()
    ranges = photo_qat.quant_ranges(m, QCONFIG, calibration)
    twin = photo_qat.twin(m, QCONFIG, ranges)
    twin.get_layer("head").set_weights([w + 0.01 for w in twin.get_layer("head").get_weights()])
    twin.save_weights(tmp_path / "best.weights.h5")
    plain = photo_qat.load_checkpoint(QCONFIG, {"quant_ranges": ranges}, tmp_path / "best.weights.h5")
    for a, b in zip(plain.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not any(layer.name.endswith("_fq") for layer in plain.layers)


def _tiny_corpus(root, count=4, size=160):
    from PIL import Image

    rng = np.random.default_rng(3)
    (root / "clean").mkdir(parents=True)
    ids = [f"p{i}" for i in range(count)]
    for i in ids:
        # Smooth gradients plus a few edges: something a denoiser can keep.
        y, x = np.mgrid[0:size, 0:size] / size
        img = np.stack([x, y, (x + y) / 2], -1) + (rng.uniform(size=(1, 1, 3)) - 0.5) * 0.3
        img[size // 3:size // 2] += 0.3
        Image.fromarray((np.clip(img, 0, 1) * 255).astype(np.uint8)).save(root / "clean" / f"{i}.png")
    (root / "photos_train.txt").write_text("\n".join(ids[:3]) + "\n")
    (root / "photos_val.txt").write_text(ids[3] + "\n")


def test_quantization_aware_stage_trains_the_twin_and_resumes_with_the_same_ranges(tmp_path):
    pytest.importorskip("tensorflow")
    from training import photo_weights, train_photo
    from training.runlog import Log

    _tiny_corpus(tmp_path / "corpus")
    init = tmp_path / "init.npz"
    m, _ = _model_and_calibration()
    sha = photo_weights.save_npz(m, init)
    config = {
        "name": "qat_test", "seed": 5, "mode": "clean", "model": TINY,
        "noise": {"sigma_max": 40.0},
        "train": {"patch": 32, "batch_size": 2, "steps": 2, "learning_rate": 1e-4, "checkpoint_minutes": 0,
                  "max_minutes": 5, "quantization_aware": True, "quant_calibration_crops": 3},
        "validation": {"patch": 32, "crops": 2},
        "export": {"tile": 32, "calibration_crops": 3, "clip_percentile": 99.0, "verify_crops": 1},
        "init": {"weights": str(init), "sha256": sha},
    }
    log = Log(tmp_path / "log.txt")
    state = train_photo.train(config, tmp_path / "corpus", tmp_path / "run", log)
    assert state["step"] == 2 and list(state["quant_ranges"]) == pm.quant_points(TINY)
    last = state["history"][-1]
    assert {"gauss25_rgb", "float_gauss25_rgb", "mixture_rgb", "float_mixture_rgb"} <= set(last)
    assert last["gauss25_rgb"] != last["float_gauss25_rgb"], "the twin's figures must be its own"

    config["train"]["steps"] = 3
    resumed = train_photo.train(config, tmp_path / "corpus", tmp_path / "run", log)
    assert resumed["step"] == 3 and resumed["quant_ranges"] == state["quant_ranges"]
    saved = json.loads((tmp_path / "run" / "ckpt" / "state.json").read_text())
    assert saved["quant_ranges"] == state["quant_ranges"]
    assert "resumed at step 2" in (tmp_path / "log.txt").read_text()

    # The int8 export clips every stored tensor to the ranges the stage trained with.
    from training import export_photo

    exported = export_photo.export(config, tmp_path / "corpus", tmp_path / "run", tmp_path / "models", log)
    clip = exported["int8"]["calibration"]["activation_clip"]
    assert clip["ranges"] == {p: r for p, r in saved["quant_ranges"].items() if p not in ("image", "noise_level")}
    artefacts = exported["int8"]["check_vs_float32"]
    assert artefacts["size"] == 160 and set(artefacts) >= {"sigma15", "sigma50"}
    assert exported["float32"]["check_vs_float32"] is None
    on_disk = json.loads((tmp_path / "models" / "qat_test_int8" / "manifest.json").read_text())
    assert on_disk["check_vs_float32"] == artefacts


def test_quantization_aware_stage_without_starting_weights_is_refused(tmp_path):
    pytest.importorskip("tensorflow")
    from training import train_photo
    from training.runlog import Log

    _tiny_corpus(tmp_path / "corpus")
    config = {"name": "qat_test", "seed": 5, "model": TINY, "noise": {},
              "train": {"patch": 32, "batch_size": 2, "steps": 1, "learning_rate": 1e-4, "checkpoint_minutes": 0,
                        "max_minutes": 5, "quantization_aware": True, "quant_calibration_crops": 2},
              "validation": {"patch": 32, "crops": 2}, "export": {"tile": 32, "calibration_crops": 2}}
    with pytest.raises(ValueError, match="needs an init"):
        train_photo.train(config, tmp_path / "corpus", tmp_path / "run", Log(tmp_path / "log.txt"))
