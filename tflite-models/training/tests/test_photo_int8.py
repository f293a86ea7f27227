"""Percentile activation ranges and the clipped copy the int8 export calibrates (needs TensorFlow)."""

import numpy as np
import pytest

from training import photo_model as pm

TINY = {"width": 8, "blocks": 1}
CONFIG = {"model": TINY, "seed": 5}


def _model_and_calibration():
    m = pm.build(TINY, seed=CONFIG["seed"])
    rng = np.random.default_rng(6)
    for layer in m.layers:
        if layer.name == "noise" or layer.name.endswith("_b"):
            k, bias = layer.get_weights()
            layer.set_weights([rng.normal(0, 0.2, k.shape).astype(np.float32), bias])
    calibration = []
    for _ in range(6):
        x = rng.uniform(0, 1, (1, 32, 32, 3)).astype(np.float32)
        calibration.append((x, np.full((1, 32, 32, 1), 0.1, np.float32)))
    return m, calibration


def _extremes(model, names, calibration):
    import keras

    probe = keras.Model(model.inputs, [model.get_layer(n).output for n in names])
    lo = {n: np.inf for n in names}
    hi = {n: -np.inf for n in names}
    for image, level in calibration:
        for n, t in zip(names, probe({"image": image, "noise_level": level})):
            lo[n] = min(lo[n], float(np.min(t)))
            hi[n] = max(hi[n], float(np.max(t)))
    return lo, hi


def test_ranges_hold_zero_lie_inside_the_extremes_and_narrow_them():
    pytest.importorskip("tensorflow")
    from training import photo_int8

    m, calibration = _model_and_calibration()
    names = photo_int8.residual_tensors(TINY)
    assert names == ["head", "block0"]
    ranges = photo_int8.activation_ranges(m, TINY, calibration, 99.0)
    assert sorted(ranges) == sorted(names)
    lo, hi = _extremes(m, names, calibration)
    narrower = 0
    for n, (a, b) in ranges.items():
        assert a <= 0.0 <= b, n
        assert min(lo[n], 0.0) <= a and b <= max(hi[n], 0.0), n
        narrower += (b - a) < 0.99 * (max(hi[n], 0.0) - min(lo[n], 0.0))
    assert narrower == 2, "the 99th percentiles should cut the extremes of both tensors"


@pytest.mark.parametrize("percentile", [50.0, 100.0, 120.0])
def test_percentile_outside_the_open_range_is_refused(percentile):
    pytest.importorskip("tensorflow")
    from training import photo_int8

    m, calibration = _model_and_calibration()
    with pytest.raises(ValueError, match="clip percentile"):
        photo_int8.activation_ranges(m, TINY, calibration[:1], percentile)


def test_clipped_copy_keeps_weights_bounds_its_tensors_and_converts_to_int8():
    pytest.importorskip("tensorflow")
    import keras

    from training import export_photo, photo_int8

    m, calibration = _model_and_calibration()
    names = photo_int8.residual_tensors(TINY)
    wide = photo_int8.clipped_model(m, CONFIG, {n: [-1e6, 1e6] for n in names})
    image, level = calibration[0]
    feed = {"image": image, "noise_level": level}
    np.testing.assert_array_equal(np.asarray(wide(feed)), np.asarray(m(feed)))

    ranges = photo_int8.activation_ranges(m, TINY, calibration, 99.0)
    clipped = photo_int8.clipped_model(m, CONFIG, ranges)
    probe = keras.Model(clipped.inputs, [clipped.get_layer(f"{n}_clip").output for n in names])
    for crop, crop_level in calibration:
        for n, t in zip(names, probe({"image": crop, "noise_level": crop_level})):
            t = np.asarray(t)
            assert ranges[n][0] <= t.min() and t.max() <= ranges[n][1], n
    out_clipped = np.asarray(clipped(feed))
    assert not np.array_equal(out_clipped, np.asarray(m(feed))), "99 % ranges should clip something"

    runner = export_photo.TfliteRunner(export_photo.convert(clipped, 32, "int8", calibration))
    y = runner(image[0], 0.1)
    assert np.abs(y - out_clipped[0]).max() < 0.15


@pytest.mark.parametrize("name", ["image", "noise_level", "block1", "stack"])
def test_clip_of_an_input_or_of_no_stored_tensor_is_refused(name):
    pytest.importorskip("tensorflow")
    with pytest.raises(ValueError, match=f"\\['{name}'\\] are not stored tensors"):
        pm.build({**TINY, "clip": {"head": [-1.0, 1.0], name: [-1.0, 1.0]}})


def test_each_precision_stores_what_it_names_and_more_bits_err_less():
    pytest.importorskip("tensorflow")
    from training import export_photo, photo_precision

    m, calibration = _model_and_calibration()
    image, level = calibration[0]
    reference = np.asarray(m({"image": image, "noise_level": level}))[0]
    errors, kinds = {}, {}
    for precision in ("int8", "int8_float_sums", "a16w8"):
        blob = export_photo.convert(m, 32, precision, calibration)
        kinds[precision] = photo_precision.op_outputs(blob)
        errors[precision] = np.sqrt(np.mean((export_photo.TfliteRunner(blob)(image[0], 0.1) - reference) ** 2))
    assert "float32" not in kinds["int8"] and "int16" not in kinds["int8"], kinds
    assert kinds["int8_float_sums"].get("float32", 0) > 0 and kinds["int8_float_sums"].get("int8", 0) > 0, kinds
    assert kinds["a16w8"].get("int16", 0) > kinds["a16w8"].get("float32", 0), kinds
    assert errors["a16w8"] < 0.5 * errors["int8"], errors  # int8 weights remain in both
    assert errors["int8_float_sums"] < errors["int8"], errors
    with pytest.raises(ValueError, match="unknown precision 'int4'"):
        export_photo.convert(m, 32, "int4", calibration)
