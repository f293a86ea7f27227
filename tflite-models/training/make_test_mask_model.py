"""Builds the tiny streaming spectral-mask models that the Java TFLite adapter is tested against.

Not a denoiser: seeded random weights with the interface of /work/notes/mask_contract.md (the
U-Net/CRN voice models' contract), so the Java side (``TfliteMaskModel``) can be checked against
TensorFlow Lite's Python interpreter without waiting for training. One call of the graph is one
10 ms frame; two kinds of state go in and come out as named tensors, a GRU's hidden vector and a
causal-conv history buffer (the last HISTORY frames of an encoder layer, shape [1, HISTORY, 16]):

    inputs   spectrum [1, 513] (ln(re^2 + im^2 + 1e-8)), gru_state [1, 8], conv_history [1, 2, 16]
    outputs  mask [1, 513] in [0, 1]                                 (magnitude variant)
             mask_re, mask_im [1, 513], |.| <= 2                       (complex variant)
             gru_state_out [1, 8], conv_history_out [1, 2, 16]

Writes mask_float32, mask_int8 (full int8 inputs and outputs) and cmask_float32 (complex), each
as <stem>.tflite, <stem>.manifest.json and <stem>.golden.json. The golden file holds FRAMES frames
of ln-power input and the real-valued outputs the Python interpreter gives when the states are
carried from frame to frame the way the Java adapter carries them (int8: dequantize the output
state, requantize it with the input's scale/zero point).

    cd tflite-models
    python -m training.make_test_mask_model --out src/test/resources/dev/denoise/tflite/testmodel

TF 2.21 (tensorflow-cpu==2.21.0). Seeded: --seed is recorded in every manifest.
"""
import argparse
import hashlib
import json
import os
import tempfile

import numpy as np
import tensorflow as tf

from training.make_test_gain_model import SIGNATURE, dequantize, quantize, tensor_entry

BINS = 513
DENSE = 16
GRU = 8
HISTORY = 2
FRAMES = 20
STATES = [("gru_state", "gru_state_out", (1, GRU)),
          ("conv_history", "conv_history_out", (1, HISTORY, DENSE))]


class TestMaskModel(tf.Module):
    """ln-power → Dense 16 → causal conv over (history, now) → GRU 8 → Dense 513 → mask(s)."""

    def __init__(self, seed, complex_mask):
        super().__init__()
        self.complex_mask = complex_mask
        tf.keras.utils.set_random_seed(seed)
        self.encoder = tf.keras.layers.Dense(DENSE, activation="tanh")
        self.conv = tf.keras.layers.Dense(DENSE, activation="tanh")  # kernel over HISTORY+1 frames
        self.gru = tf.keras.layers.GRUCell(GRU, reset_after=False)
        self.heads = [tf.keras.layers.Dense(BINS) for _ in range(2 if complex_mask else 1)]
        self.step(tf.zeros([1, BINS]), tf.zeros([1, GRU]), tf.zeros([1, HISTORY, DENSE]))
        rng = np.random.default_rng(seed)
        layers = [self.encoder, self.conv, self.gru] + self.heads
        for layer in layers:
            for w in layer.weights:
                if "bias" in w.name:  # zero by default; random biases exercise more of the graph
                    w.assign(rng.normal(0, 0.3, w.shape).astype(np.float32))
        # Keras 3 layers are not tf.Modules: track their variables so the converter freezes them.
        self.tracked = [w.value for layer in layers for w in layer.weights]

    def step(self, spectrum, gru_state, conv_history):
        x = self.encoder(spectrum * 0.1)
        window = tf.concat([conv_history, x[:, None, :]], axis=1)  # [1, HISTORY + 1, DENSE]
        y = self.conv(tf.reshape(window, [1, (HISTORY + 1) * DENSE]))
        h, _ = self.gru(y, [gru_state])
        out = {"gru_state_out": h, "conv_history_out": window[:, 1:, :]}
        if self.complex_mask:
            out["mask_re"] = 2.0 * tf.tanh(self.heads[0](h))
            out["mask_im"] = 2.0 * tf.tanh(self.heads[1](h))
        else:
            out["mask"] = tf.sigmoid(self.heads[0](h))
        return out

    @tf.function(input_signature=[
        tf.TensorSpec([1, BINS], tf.float32, name="spectrum"),
        tf.TensorSpec([1, GRU], tf.float32, name="gru_state"),
        tf.TensorSpec([1, HISTORY, DENSE], tf.float32, name="conv_history"),
    ])
    def serve(self, spectrum, gru_state, conv_history):
        return self.step(spectrum, gru_state, conv_history)


def spectrum_sequence(rng, frames):
    """ln(power + 1e-8) of a real 960-sample sqrt-Hann frame of smooth noise, at speech-like
    levels: values roughly in [-18, 12], the range the runtime feeds."""
    window = np.sqrt(0.5 - 0.5 * np.cos(2 * np.pi * np.arange(960) / 960))
    level = rng.uniform(-4, -1)
    out = np.zeros((frames, BINS), np.float32)
    for t in range(frames):
        level = np.clip(level + rng.normal(0, 0.3), -5, 0)
        frame = rng.normal(0, 10 ** level, 960) * window
        spectrum = np.fft.rfft(frame, 1024)
        out[t] = np.log(spectrum.real ** 2 + spectrum.imag ** 2 + 1e-8)
    return out


def recorded_inputs(model, sequences):
    """(spectrum, gru state, conv history) per frame of real runs: the calibration samples."""
    samples = []
    for seq in sequences:
        states = {name: np.zeros(shape, np.float32) for name, _, shape in STATES}
        for s in seq:
            samples.append({"spectrum": s[None, :], **states})
            out = model.serve(tf.constant(s[None, :]), *(tf.constant(states[n]) for n, _, _ in STATES))
            states = {name: out[o].numpy() for name, o, _ in STATES}
    return samples


def convert(model, int8, calibration):
    saved = tempfile.mkdtemp(prefix="test_mask_model_")
    tf.saved_model.save(model, saved, signatures={SIGNATURE: model.serve.get_concrete_function()})
    converter = tf.lite.TFLiteConverter.from_saved_model(saved)
    if int8:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: iter(calibration)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
        # Per-channel dense weights load on the 2.6 desktop runtime but compute wrong results.
        converter._experimental_disable_per_channel_quantization_for_dense_layers = True
    return converter.convert()


def run_golden(tflite_bytes, spectra, mask_names):
    runner = tf.lite.Interpreter(model_content=tflite_bytes).get_signature_runner(SIGNATURE)
    ins = runner.get_input_details()
    outs = runner.get_output_details()
    states = {name: np.zeros(shape, np.float32) for name, _, shape in STATES}
    golden = {k: [] for k in ["spectrum"] + mask_names + [o for _, o, _ in STATES]}
    for s in spectra:
        feed = {"spectrum": quantize(s[None, :], *ins["spectrum"]["quantization"])}
        for name, _, _ in STATES:
            feed[name] = quantize(states[name], *ins[name]["quantization"])
        real = {n: dequantize(v, *outs[n]["quantization"]) for n, v in runner(**feed).items()}
        golden["spectrum"].append(s.tolist())
        for n in mask_names:
            golden[n].append(real[n].reshape(-1).tolist())
        for name, out, _ in STATES:
            golden[out].append(real[out].reshape(-1).tolist())
            states[name] = real[out]
    return ins, outs, golden


def count_params(model):
    return int(sum(np.prod(w.shape) for w in model.tracked))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for .tflite, manifests and goldens")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    calibration_rng = np.random.default_rng(args.seed + 1)
    calibration_spectra = [spectrum_sequence(calibration_rng, 100) for _ in range(4)]
    test_spectra = spectrum_sequence(np.random.default_rng(args.seed + 2), FRAMES)
    for stem, complex_mask, int8 in (("mask_float32", False, False), ("mask_int8", False, True),
                                     ("cmask_float32", True, False)):
        model = TestMaskModel(args.seed, complex_mask)
        mask_names = ["mask_re", "mask_im"] if complex_mask else ["mask"]
        data = convert(model, int8, recorded_inputs(model, calibration_spectra) if int8 else None)
        with open(os.path.join(args.out, stem + ".tflite"), "wb") as fh:
            fh.write(data)
        ins, outs, golden = run_golden(data, test_spectra, mask_names)
        params = count_params(model)
        manifest = {
            "format_version": 1,
            "kind": "spectral_mask",
            "file": stem + ".tflite",
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "signature": SIGNATURE,
            "sample_rate": 48000, "window": 960, "hop": 480, "fft_size": 1024, "bins": BINS,
            "input_transform": "ln(power + 1e-8)",
            "mask": "complex" if complex_mask else "magnitude",
            "algorithmic_latency_ms": 20,
            "params": params,
            # Dense and GRU multiply-accumulates per frame (≈ parameters used once each).
            "macs_per_frame": params,
            "inputs": [tensor_entry(ins[n], n) for n in ["spectrum"] + [s for s, _, _ in STATES]],
            "outputs": [tensor_entry(outs[n], n) for n in mask_names + [o for _, o, _ in STATES]],
            "states": [{"input": i, "output": o} for i, o, _ in STATES],
            "precision": "int8" if int8 else "float32",
            "seed": args.seed,
            "generator": "training/make_test_mask_model.py (random weights, not a denoiser)",
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
        print(f"{stem}: {len(data)} bytes, {params} params, sha256 {manifest['sha256'][:12]}, "
              f"ops {ops}")


if __name__ == "__main__":
    main()
