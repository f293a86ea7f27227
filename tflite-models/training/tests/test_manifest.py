"""The exporter's manifest format is the Java adapter's: the rules of ``ModelManifest`` and
``TfliteGainModel`` applied to the committed manifests and to broken variants of them. The
checks against the model files need TensorFlow and skip without it."""

import copy
import hashlib
import json
import pathlib

import pytest

from training import manifest as mf

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODELS = ROOT / "src/main/resources/models/voice"
ALL_COMMITTED = sorted(p for p in MODELS.iterdir() if (p / "manifest.json").exists())
# Gain models (RNNoise-style) and spectral-mask models (U-Net, CRN; /work/notes/mask_contract.md).
MASK_COMMITTED = [p for p in ALL_COMMITTED if json.loads((p / "manifest.json").read_text()).get("kind") == mf.MASK_KIND]
COMMITTED = [p for p in ALL_COMMITTED if p not in MASK_COMMITTED]
TEST_MODELS = ROOT / "src/test/resources/dev/denoise/tflite/testmodel"


def load(folder):
    return json.loads((folder / "manifest.json").read_text())


def test_both_committed_models_are_there():
    assert {p.name for p in COMMITTED} >= {"voice_rnnoise_small_float32", "voice_rnnoise_small_int8"}


@pytest.mark.parametrize("folder", COMMITTED, ids=lambda p: p.name)
def test_committed_manifest_follows_the_adapter_rules(folder):
    m = load(folder)
    mf.validate(m)
    assert m["format_version"] == 1
    assert [t["name"] for t in m["inputs"]][0] == "features"
    assert {s["input"] for s in m["states"]} == {t["name"] for t in m["inputs"]} - {"features"}
    # The file and sha256 the manifest names are the committed bytes.
    data = (folder / m["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == m["sha256"]
    assert m["bytes"] == len(data)
    # Training metadata survives the format change.
    for key in ("seed", "training_data", "feature_mean", "feature_std", "macs_per_frame", "check_vs_keras"):
        assert key in m, key


@pytest.mark.parametrize("folder", MASK_COMMITTED, ids=lambda p: p.name)
def test_committed_mask_manifest_follows_the_contract(folder):
    m = load(folder)
    mf.validate(m)
    assert [t["name"] for t in m["inputs"]][0] == "spectrum"
    masks = mf.MASK_OUTPUTS[m["mask"]]  # "mask", or "mask_re" and "mask_im" for a complex mask
    assert [t["name"] for t in m["outputs"]][:len(masks)] == masks
    assert {s["input"] for s in m["states"]} == {t["name"] for t in m["inputs"]} - {"spectrum"}
    data = (folder / m["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == m["sha256"]
    assert m["bytes"] == len(data)
    for key in ("seed", "training_data", "budget", "params", "macs_per_frame", "check_vs_keras", "val_loss"):
        assert key in m, key
    # The deployment budget of issue 9: <= 0.1 GMAC/s, 20 ms algorithmic latency.
    assert m["macs_per_frame"] * 100 <= 0.1e9 and m["algorithmic_latency_ms"] == 20
    assert m["check_vs_keras"]["keras_stream_vs_sequence_max"] < 1e-4


def test_a_mask_manifest_is_refused_where_it_breaks_the_contract():
    if not MASK_COMMITTED:
        pytest.skip("no spectral-mask model committed yet")
    m = load(MASK_COMMITTED[0])
    for key, value, message in (("bins", 512, "bins"), ("input_transform", "log1p", "input_transform"),
                                ("mask", "phase", "mask"), ("params", 0, "params")):
        broken = copy.deepcopy(m)
        broken[key] = value
        with pytest.raises(mf.ManifestError, match=message):
            mf.validate(broken)
    broken = copy.deepcopy(m)
    broken["inputs"][0]["name"] = "features"
    with pytest.raises(mf.ManifestError, match="spectrum"):
        mf.validate(broken)


@pytest.mark.parametrize("stem", ["gain_float32", "gain_int8", "gain_unsigned_float32"])
def test_the_java_test_models_manifests_pass_the_same_rules(stem):
    mf.validate(json.loads((TEST_MODELS / f"{stem}.manifest.json").read_text()))


def test_the_first_exporters_name_keyed_format_is_refused():
    m = load(COMMITTED[0])
    legacy = copy.deepcopy(m)
    legacy.pop("format_version")
    with pytest.raises(mf.ManifestError, match='missing field "format_version"'):
        mf.validate(legacy)
    legacy = copy.deepcopy(m)
    legacy["inputs"] = {t["name"]: t for t in m["inputs"]}
    with pytest.raises(mf.ManifestError, match='"inputs" must be a non-empty array'):
        mf.validate(legacy)


def broken(edit):
    m = copy.deepcopy(load(next(p for p in COMMITTED if p.name.endswith("int8"))))
    edit(m)
    return m


def drop_state(m):
    m["states"] = m["states"][1:]


def state_size(m):
    m["inputs"][1]["shape"] = [1, 7]


def unquantized_int8(m):
    m["inputs"][0].pop("quantization")


def duplicate(m):
    m["outputs"].append(dict(m["outputs"][0]))


@pytest.mark.parametrize("edit,message", [
    (lambda m: m.update(format_version=2), "format_version is 2"),
    (lambda m: m.update(sha256="abc"), "sha256 must be 64 hex digits"),
    (lambda m: m.pop("sha256"), 'missing field "sha256"'),
    (lambda m: m.pop("feature_version"), 'missing field "feature_version"'),
    (lambda m: m.update(feature_count=41), "feature_count is 41"),
    (lambda m: m.update(band_count=18), "band_count is 18"),
    (lambda m: m.update(sample_rate=16000), "sample_rate is 16000"),
    (lambda m: m["inputs"][0].update(name="feats"), 'no tensor named "features"'),
    (lambda m: m["outputs"][0].update(shape=[1, 21]), '"gains" has 21 elements'),
    (lambda m: m["outputs"][1].update(shape=[1, 2]), '"vad" has 2 elements'),
    (lambda m: m["inputs"][0].update(shape=[1, 0]), r"shape\[1\] must be positive"),
    (lambda m: m["inputs"][0].update(shape=[1, 4.5]), "must be an integer"),
    (lambda m: m["inputs"][0].update(dtype="uint8"), "float32 or int8"),
    (lambda m: m["inputs"][0].update(position=-1), r"position must be >= 0"),
    (lambda m: m["inputs"][0].update(position=1.5), "must be an integer"),
    (drop_state, "neither \"features\" nor a state input"),
    (state_size, "differ in size or type"),
    (unquantized_int8, "no quantization scale"),
    (duplicate, 'lists "gains" twice'),
    (lambda m: m["states"].append({"input": "nope", "output": "gains"}), 'no tensor named "nope"'),
])
def test_a_manifest_the_adapter_would_refuse_is_refused_with_its_field(edit, message):
    with pytest.raises(mf.ManifestError, match=message):
        mf.validate(broken(edit))


# ---------------------------------------------------------------- against the model files


@pytest.mark.parametrize("folder", ALL_COMMITTED, ids=lambda p: p.name)
def test_committed_manifest_matches_its_model_file(folder):
    pytest.importorskip("tensorflow", reason="TensorFlow is not installed (requirements-train.txt)")
    mf.check_folder(folder)


def test_a_wrong_position_or_quantization_is_caught_against_the_model():
    pytest.importorskip("tensorflow", reason="TensorFlow is not installed (requirements-train.txt)")
    folder = next(p for p in COMMITTED if p.name.endswith("int8"))
    data = (folder / "model.tflite").read_bytes()
    m = load(folder)
    m["inputs"][0]["position"] = (m["inputs"][0]["position"] + 1) % len(m["inputs"])
    with pytest.raises(mf.ManifestError, match="position"):
        mf.check_against_model(m, data)
    m = load(folder)
    m["outputs"][0]["quantization"]["zero_point"] += 1
    with pytest.raises(mf.ManifestError, match="quantization"):
        mf.check_against_model(m, data)
    with pytest.raises(mf.ManifestError, match="sha256"):
        mf.check_against_model(load(folder), data + b"\0")


def test_the_exporter_function_reproduces_the_java_test_models_tensors():
    """gain_model_manifest on the Java test model gives the tensors its hand-checked manifest
    (which the Java tests load) declares: same names, TFLite tensors, shapes, dtypes, scales."""
    tf = pytest.importorskip("tensorflow", reason="TensorFlow is not installed (requirements-train.txt)")
    for stem in ("gain_float32", "gain_int8"):
        expected = json.loads((TEST_MODELS / f"{stem}.manifest.json").read_text())
        data = (TEST_MODELS / f"{stem}.tflite").read_bytes()
        interpreter = tf.lite.Interpreter(model_content=data)
        runner = interpreter.get_signature_runner("serving_default")
        got = mf.gain_model_manifest(
            data, interpreter, runner, [t["name"] for t in expected["inputs"]],
            [t["name"] for t in expected["outputs"]],
            [(s["input"], s["output"]) for s in expected["states"]], {})
        assert got["sha256"] == expected["sha256"]
        assert got["states"] == expected["states"]
        for key in ("inputs", "outputs"):
            for g, e in zip(got[key], expected[key], strict=True):
                assert (g["name"], g["tensor"], g["shape"], g["dtype"]) == \
                       (e["name"], e["tensor"], e["shape"], e["dtype"])
                assert g["quantization"]["zero_point"] == e["quantization"]["zero_point"]
                assert g["quantization"]["scale"] == pytest.approx(e["quantization"]["scale"], rel=1e-6)
