"""Photo weights: .npz round trip, recovery from a float32 export, and the committed
previous-stage weights the shipped config starts from."""

import json
import pathlib

import numpy as np
import pytest

from training import photo_model as pm
from training import photo_weights as pw

TINY = {"width": 8, "blocks": 1}
ROOT = pathlib.Path(__file__).resolve().parents[2]  # tflite-models/


def _randomised(model, seed):
    rng = np.random.default_rng(seed)
    for layer in pw.conv_layers(model):
        k, b = layer.get_weights()
        layer.set_weights([rng.normal(0, 0.05, k.shape).astype(np.float32),
                           rng.normal(0, 0.01, b.shape).astype(np.float32)])
    return model


def _run(model, x):
    lv = np.full(x.shape[:3] + (1,), 0.1, np.float32)
    return np.asarray(model({"image": x, "noise_level": lv}))


def test_shipped_config_starts_from_the_committed_previous_stage_weights():
    config = json.loads((ROOT / "training/configs/photo_ffdnet_small.json").read_text())
    init = config["init"]
    assert pw.sha256_of(ROOT / init["weights"]) == init["sha256"]
    with np.load(ROOT / init["weights"]) as saved:
        assert saved["head/kernel"].shape == (3, 3, 16, config["model"]["width"])
        assert saved["noise/kernel"].shape == (3, 3, config["model"]["width"], 12)
        assert len(saved.files) == 2 * pm.conv_count(config["model"])
        assert all(np.isfinite(saved[k]).all() for k in saved.files)
        # Trained, not the zero-initialised output layer of an untrained net.
        assert np.abs(saved["noise/kernel"]).max() > 0.01


def test_npz_round_trip_reproduces_the_network_and_checks_sha256(tmp_path):
    pytest.importorskip("tensorflow")
    a = _randomised(pm.build(TINY, seed=1), 5)
    digest = pw.save_npz(a, tmp_path / "w.npz")
    b = pm.build(TINY, seed=9)
    x = np.random.default_rng(0).uniform(0, 1, (1, 16, 20, 3)).astype(np.float32)
    assert np.abs(_run(a, x) - _run(b, x)).max() > 1e-3
    pw.load_npz(b, tmp_path / "w.npz", digest)
    np.testing.assert_array_equal(_run(a, x), _run(b, x))
    with pytest.raises(ValueError, match="SHA256"):
        pw.load_npz(b, tmp_path / "w.npz", "0" * 64)
    with pytest.raises(ValueError, match="shape"):
        pw.load_npz(pm.build({"width": 4, "blocks": 1}), tmp_path / "w.npz")
    with pytest.raises(ValueError, match="block1_a/kernel"):
        pw.load_npz(pm.build({"width": 8, "blocks": 2}), tmp_path / "w.npz")


def test_weights_are_recovered_exactly_from_a_float32_export_and_not_from_int8(tmp_path):
    pytest.importorskip("tensorflow")
    from training import export_photo as ep

    trained = _randomised(pm.build(TINY, seed=2), 6)
    rng = np.random.default_rng(7)
    calib = [(rng.uniform(0, 1, (1, 32, 32, 3)).astype(np.float32), np.full((1, 32, 32, 1), 0.1, np.float32))
             for _ in range(4)]
    (tmp_path / "f.tflite").write_bytes(ep.convert(trained, 32, "float32", calib))
    (tmp_path / "q.tflite").write_bytes(ep.convert(trained, 32, "int8", calib))
    recovered = pm.build(TINY, seed=3)
    pw.from_tflite(recovered, tmp_path / "f.tflite")
    for a, b in zip(pw.conv_layers(trained), pw.conv_layers(recovered)):
        for wa, wb in zip(a.get_weights(), b.get_weights()):
            np.testing.assert_array_equal(wa, wb)
    assert pw.max_difference_vs_tflite(recovered, tmp_path / "f.tflite", size=24) < 1e-5
    with pytest.raises(ValueError, match="float32"):
        pw.from_tflite(pm.build(TINY), tmp_path / "q.tflite")
    with pytest.raises(ValueError, match="shape"):
        pw.from_tflite(pm.build({"width": 4, "blocks": 1}), tmp_path / "f.tflite")
