"""Builds the tiny streaming gain model that the Java TFLite adapter is tested against.

Not a denoiser: seeded random weights with the real model's interface, so the Java side can be
checked against TensorFlow Lite's Python interpreter without waiting for training. One call of
the graph is one 10 ms frame; the GRU states go in and come out as named tensors:

    inputs   features [1, 42], gru1_state [1, 16], gru2_state [1, 24]
    outputs  gains [1, 22], vad [1, 1], gru1_state_out [1, 16], gru2_state_out [1, 24]

Writes, for each of float32 and full-int8 (int8 inputs and outputs):
    gain_<variant>.tflite, gain_<variant>.manifest.json, gain_<variant>.golden.json
and gain_unsigned_float32.tflite + manifest: the float32 graph without a signature.
The golden file holds FRAMES frames of float features and the float outputs that the Python
interpreter gives when the states are carried from frame to frame the way the Java adapter
carries them (for int8: dequantize the output state, requantize it with the input's scale).

    python training/make_test_gain_model.py --out src/test/resources/dev/denoise/tflite/testmodel

TF 2.21 (tensorflow-cpu==2.21.0). Seeded: --seed is recorded in every manifest.
"""
import argparse
import hashlib
import json
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

FEATURES = 42
BANDS = 22
FEATURE_VERSION = 1
SAMPLE_RATE = 48000
GRU1 = 16
GRU2 = 24
FRAMES = 20
SIGNATURE = "serving_default"
STATES = [("gru1_state", "gru1_state_out", GRU1), ("gru2_state", "gru2_state_out", GRU2)]


class TestGainModel(tf.Module):
    """Dense → GRU1 → VAD; [features, dense, GRU1] → GRU2 → gains (RNNoise's topology, tiny)."""

    def __init__(self, seed):
        super().__init__()
        tf.keras.utils.set_random_seed(seed)
        self.dense_in = tf.keras.layers.Dense(16, activation="tanh")
        self.gru1 = tf.keras.layers.GRUCell(GRU1, reset_after=False)
        self.dense_vad = tf.keras.layers.Dense(1, activation="sigmoid")
        self.gru2 = tf.keras.layers.GRUCell(GRU2, reset_after=False)
        self.dense_gains = tf.keras.layers.Dense(BANDS, activation="sigmoid")
        self.step(tf.zeros([1, FEATURES]), tf.zeros([1, GRU1]), tf.zeros([1, GRU2]))
        rng = np.random.default_rng(seed)
        for layer in (self.dense_in, self.gru1, self.dense_vad, self.gru2, self.dense_gains):
            for w in layer.weights:
                if "bias" in w.name:  # zero by default; random biases exercise more of the graph
                    w.assign(rng.normal(0, 0.3, w.shape).astype(np.float32))
        # Keras 3 layers are not tf.Modules: track their tf.Variables so that the SavedModel
        # holds them and the converter can freeze them into constants.
        self.tracked = [w.value for layer in (self.dense_in, self.gru1, self.dense_vad,
                                              self.gru2, self.dense_gains) for w in layer.weights]

    def step(self, features, gru1_state, gru2_state):
        x = self.dense_in(features)
        h1, _ = self.gru1(x, [gru1_state])
        vad = self.dense_vad(h1)
        h2, _ = self.gru2(tf.concat([features, x, h1], axis=-1), [gru2_state])
        gains = self.dense_gains(h2)
        return {"gains": gains, "vad": vad, "gru1_state_out": h1, "gru2_state_out": h2}

    @tf.function(input_signature=[
        tf.TensorSpec([1, FEATURES], tf.float32, name="features"),
        tf.TensorSpec([1, GRU1], tf.float32, name="gru1_state"),
        tf.TensorSpec([1, GRU2], tf.float32, name="gru2_state"),
    ])
    def serve(self, features, gru1_state, gru2_state):
        return self.step(features, gru1_state, gru2_state)


def feature_sequence(rng, frames):
    """Smooth AR(1) sequences at roughly the features' scale (cepstra of a few units, others < 1)."""
    x = np.zeros((frames, FEATURES), np.float32)
    scale = np.where(np.arange(FEATURES) < 22, 2.0, 0.5).astype(np.float32)
    v = rng.normal(0, 1, FEATURES)
    for t in range(frames):
        v = 0.8 * v + 0.6 * rng.normal(0, 1, FEATURES)
        x[t] = v * scale
    return x


def recorded_states(model, sequences):
    """(features, gru1 state, gru2 state) per frame of real runs: the calibration samples."""
    samples = []
    for seq in sequences:
        s1 = np.zeros((1, GRU1), np.float32)
        s2 = np.zeros((1, GRU2), np.float32)
        for f in seq:
            samples.append((f[None, :], s1, s2))
            out = model.serve(tf.constant(f[None, :]), tf.constant(s1), tf.constant(s2))
            s1 = out["gru1_state_out"].numpy()
            s2 = out["gru2_state_out"].numpy()
    return samples


def convert(model, int8, calibration):
    # Through a SavedModel: the signature (names of inputs and outputs) survives, and the
    # tracked variables are frozen into constants (no VAR_HANDLE/READ_VARIABLE).
    saved = tempfile.mkdtemp(prefix="test_gain_model_")
    tf.saved_model.save(model, saved, signatures={SIGNATURE: model.serve.get_concrete_function()})
    converter = tf.lite.TFLiteConverter.from_saved_model(saved)
    if int8:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]

        def representative():
            for f, s1, s2 in calibration:
                yield {"features": f, "gru1_state": s1, "gru2_state": s2}

        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
        # Per-channel dense weights load on the 2.6 desktop runtime but compute wrong results.
        converter._experimental_disable_per_channel_quantization_for_dense_layers = True
    return converter.convert()


def quantize(x, scale, zero_point):
    """float → int8 as the Java adapter does it: round half up, saturate."""
    if scale == 0:
        return x.astype(np.float32)
    q = np.floor(x.astype(np.float32) / np.float32(scale) + np.float32(0.5)) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)


def dequantize(q, scale, zero_point):
    if scale == 0:
        return q.astype(np.float32)
    return (q.astype(np.int32) - zero_point).astype(np.float32) * np.float32(scale)


def tensor_entry(detail, name):
    scale, zero_point = detail["quantization"]
    return {
        "name": name,
        "tensor": detail["name"],
        "shape": [int(d) for d in detail["shape"]],
        "dtype": np.dtype(detail["dtype"]).name,
        "quantization": {"scale": float(scale), "zero_point": int(zero_point)},
    }


def run_golden(tflite_bytes, features):
    interp = tf.lite.Interpreter(model_content=tflite_bytes)
    runner = interp.get_signature_runner(SIGNATURE)
    ins = runner.get_input_details()
    outs = runner.get_output_details()
    q = {n: d["quantization"] for n, d in ins.items()}
    qo = {n: d["quantization"] for n, d in outs.items()}
    states = {name: np.zeros((1, size), np.float32) for name, _, size in STATES}
    golden = {k: [] for k in ["features", "gains", "vad"] + [o for _, o, _ in STATES]}
    for f in features:
        feed = {"features": quantize(f[None, :], *q["features"])}
        for name, _, _ in STATES:
            feed[name] = quantize(states[name], *q[name])
        result = runner(**feed)
        real = {n: dequantize(v, *qo[n]) for n, v in result.items()}
        golden["features"].append(f.tolist())
        golden["gains"].append(real["gains"][0].tolist())
        golden["vad"].append(real["vad"][0].tolist())
        for name, out, _ in STATES:
            golden[out].append(real[out][0].tolist())
            states[name] = real[out]
    return ins, outs, golden


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for .tflite, manifests and goldens")
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    model = TestGainModel(args.seed)
    rng = np.random.default_rng(args.seed + 1)
    calibration = recorded_states(model, [feature_sequence(rng, 100) for _ in range(4)])
    test_features = feature_sequence(np.random.default_rng(args.seed + 2), FRAMES)
    for variant, int8 in (("float32", False), ("int8", True)):
        data = convert(model, int8, calibration)
        stem = f"gain_{variant}"
        with open(os.path.join(args.out, stem + ".tflite"), "wb") as fh:
            fh.write(data)
        ins, outs, golden = run_golden(data, test_features)
        manifest = {
            "format_version": 1,
            "kind": "gain_model",
            "file": stem + ".tflite",
            "sha256": hashlib.sha256(data).hexdigest(),
            "feature_version": FEATURE_VERSION,
            "feature_count": FEATURES,
            "band_count": BANDS,
            "sample_rate": SAMPLE_RATE,
            "signature": SIGNATURE,
            "inputs": [tensor_entry(ins[n], n) for n in ["features"] + [s for s, _, _ in STATES]],
            "outputs": [tensor_entry(outs[n], n)
                        for n in ["gains", "vad"] + [o for _, o, _ in STATES]],
            "states": [{"input": i, "output": o} for i, o, _ in STATES],
            "quantization": "int8 inputs/outputs, per-tensor dense" if int8 else "none",
            "seed": args.seed,
            "generator": "training/make_test_gain_model.py (random weights, not a denoiser)",
            "tensorflow": tf.__version__,
        }
        with open(os.path.join(args.out, stem + ".manifest.json"), "w") as fh:
            json.dump(manifest, fh, indent=2)
            fh.write("\n")
        golden["frames"] = FRAMES
        golden["seed"] = args.seed + 2
        with open(os.path.join(args.out, stem + ".golden.json"), "w") as fh:
            json.dump(golden, fh)
            fh.write("\n")
        ops = sorted({op["op_name"] for op in
                      tf.lite.Interpreter(model_content=data)._get_ops_details()})
        print(f"{stem}: {len(data)} bytes, sha256 {manifest['sha256'][:12]}, ops {ops}")
    write_unsigned(model, args)


def write_unsigned(model, args):
    """The float32 graph without a signature (converted from the frozen function): the adapter
    then matches the manifest's "tensor" names. Same weights, so the float32 golden applies."""
    fn = convert_variables_to_constants_v2(model.serve.get_concrete_function())
    data = tf.lite.TFLiteConverter.from_concrete_functions([fn]).convert()
    stem = "gain_unsigned_float32"
    with open(os.path.join(args.out, stem + ".tflite"), "wb") as fh:
        fh.write(data)
    interp = tf.lite.Interpreter(model_content=data)
    assert not interp.get_signature_list(), "expected a model without signatures"
    ins = {d["name"]: d for d in interp.get_input_details()}
    # Output tensors are named Identity, Identity_1, ...: tell them apart by their sizes.
    sizes = {BANDS: "gains", 1: "vad", GRU1: "gru1_state_out", GRU2: "gru2_state_out"}
    outs = {sizes[int(np.prod(d["shape"]))]: d for d in interp.get_output_details()}
    manifest = {
        "format_version": 1,
        "kind": "gain_model",
        "file": stem + ".tflite",
        "sha256": hashlib.sha256(data).hexdigest(),
        "feature_version": FEATURE_VERSION,
        "feature_count": FEATURES,
        "band_count": BANDS,
        "sample_rate": SAMPLE_RATE,
        "inputs": [tensor_entry(ins[n], n) for n in ["features"] + [s for s, _, _ in STATES]],
        "outputs": [tensor_entry(outs[n], n)
                    for n in ["gains", "vad"] + [o for _, o, _ in STATES]],
        "states": [{"input": i, "output": o} for i, o, _ in STATES],
        "quantization": "none",
        "seed": args.seed,
        "generator": "training/make_test_gain_model.py (random weights, not a denoiser)",
        "tensorflow": tf.__version__,
    }
    with open(os.path.join(args.out, stem + ".manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
        fh.write("\n")
    print(f"{stem}: {len(data)} bytes, sha256 {manifest['sha256'][:12]}")


if __name__ == "__main__":
    main()
