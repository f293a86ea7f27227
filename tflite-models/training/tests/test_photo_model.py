"""Photo network and its TFLite export. Skips without TensorFlow (CI installs only
requirements.txt); with it, a tiny network is built, converted and run at another size."""

import numpy as np
import pytest

from training import photo_model as pm

TINY = {"width": 8, "blocks": 1}


def test_counts_follow_the_architecture():
    # head 16->w, 2 per block w->w, tail w->12, 3x3 each, with biases.
    w, b = 8, 1
    assert pm.count_params(TINY) == 9 * 16 * w + w + b * 2 * (9 * w * w + w) + 9 * w * 12 + 12
    assert pm.conv_count(TINY) == 4
    assert pm.receptive_radius(TINY) == 9
    assert pm.macs_per_pixel({"width": 64, "blocks": 6}) == 9 * (16 * 64 + 12 * 64 * 64 + 64 * 12) / 4


def _random_output_weights(model, seed=0):
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if layer.name == "noise" or layer.name.endswith("_b"):
            k, bias = layer.get_weights()
            layer.set_weights([rng.normal(0, 0.05, k.shape).astype(np.float32), bias])


def test_untrained_network_is_the_identity_and_receptive_radius_bounds_the_support():
    pytest.importorskip("tensorflow")
    m = pm.build(TINY, seed=1)
    x = np.random.default_rng(0).uniform(0, 1, (1, 40, 40, 3)).astype(np.float32)
    lv = np.full((1, 40, 40, 1), 0.1, np.float32)
    np.testing.assert_allclose(np.asarray(m({"image": x, "noise_level": lv})), x, atol=1e-6)
    _random_output_weights(m)
    y0 = np.asarray(m({"image": x, "noise_level": lv}))
    x2 = x.copy()
    x2[0, 20, 20, 1] += 0.5
    d = np.abs(np.asarray(m({"image": x2, "noise_level": lv})) - y0).max(-1)[0]
    ys, xs = np.nonzero(d > 1e-7)
    r = pm.receptive_radius(TINY)
    assert len(ys) > 0
    assert np.abs(ys - 20).max() <= r and np.abs(xs - 20).max() <= r


def test_float32_and_int8_exports_run_resized_and_agree_with_keras():
    pytest.importorskip("tensorflow")
    from training import export_photo as ep

    m = pm.build(TINY, seed=2)
    _random_output_weights(m, 3)
    rng = np.random.default_rng(4)
    calib = []
    for _ in range(8):
        x = rng.uniform(0, 1, (1, 32, 32, 3)).astype(np.float32)
        calib.append((x, np.full((1, 32, 32, 1), 0.1, np.float32)))
    x = rng.uniform(0, 1, (20, 26, 3)).astype(np.float32)  # not the stored 32x32
    ref = np.asarray(m({"image": x[None], "noise_level": np.full((1, 20, 26, 1), 0.1, np.float32)}))[0]
    for precision, tol in (("float32", 1e-5), ("int8", 0.06)):
        blob = ep.convert(m, 32, precision, calib)
        runner = ep.TfliteRunner(blob)
        y = runner(x, 0.1)
        assert y.shape == x.shape
        assert np.abs(y - ref).max() < tol
        if precision == "int8":
            assert runner.ins["image"]["dtype"] == np.int8


def test_validation_twin_runs_bfloat16_trained_weights_in_float32():
    pytest.importorskip("tensorflow")
    import keras
    from training import train_photo

    config = {"model": TINY, "seed": 3}
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        trained = pm.build(TINY, seed=3)
        _random_output_weights(trained, seed=4)
        twin = train_photo.float32_twin(config)
        assert keras.mixed_precision.global_policy().name == "mixed_bfloat16"
    finally:
        keras.mixed_precision.set_global_policy("float32")
    reference = pm.build(TINY, seed=3)
    reference.set_weights(trained.get_weights())
    twin.set_weights(trained.get_weights())
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 1, (1, 32, 32, 3)).astype(np.float32)
    feed = {"image": x, "noise_level": np.full((1, 32, 32, 1), 0.1, np.float32)}
    expected = np.asarray(reference(feed))
    np.testing.assert_array_equal(np.asarray(twin(feed)), expected)
    # The bfloat16 network itself is measurably off, which is why validation does not use it.
    assert np.abs(np.asarray(trained(feed), np.float32) - expected).max() > 1e-4
