"""Trains the RNNoise-style voice model and exports it to TensorFlow Lite (float32 and int8).

From ``tflite-models/`` (needs ``pip install -r training/requirements-train.txt``)::

    nice -n 5 python -m training.train_voice --config training/configs/voice_rnnoise_small.json \\
        --out /work/voice-run --corpus /work/corpus --scratch /work/voice-scratch \\
        --jar ../cli/target/denoise.jar --models src/main/resources/models/voice

Steps: build or reuse the frames (:mod:`training.voice_dataset`), train the sequence model
with a checkpoint every epoch (rerunning the command resumes from ``OUT/ckpt``; training
stops after ``train.epochs``, before ``train.max_minutes`` of wall time would be exceeded, or
after the epoch that crosses ``train.cpu_budget_minutes`` of process CPU time, every thread,
training and validation; the issue 9 comparison's equal budget), then export
the best-validation weights' one-frame graph to ``MODELS/<name>_float32/model.tflite`` and
``MODELS/<name>_int8/model.tflite``, each with a ``manifest.json``. The int8 model is
calibrated on real training feature frames paired with the recurrent states the float model
reaches at those frames; both files are checked against the Keras one-frame model on real
validation sequences, state fed back frame by frame. ``--export-only`` skips training.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time

import numpy as np

from .runlog import Log
from . import manifest as model_manifest
from . import voice_dataset, voice_model

STATE_NAMES = ("vad_state", "noise_state", "denoise_state")
INPUT_NAMES = ("features",) + STATE_NAMES
OUTPUT_NAMES = ("gains", "vad") + tuple(k + "_out" for k in STATE_NAMES)


def _arrays(info: dict, length: int, log, split: str) -> dict:
    arrays = voice_dataset.load_split(info["prefixes"])
    out = {
        "x": voice_dataset.chunk_sequences(arrays["features"], length),
        "gains": voice_dataset.chunk_sequences(arrays["gains"], length),
        "vad": voice_dataset.chunk_sequences([v[:, None] for v in arrays["vad"]], length),
        "info": {k: info[k] for k in ("count", "base_seed", "hours") + (
            ("refreshes", "refresh_seeds") if "refreshes" in info else ())},
    }
    out["info"]["sequences"] = int(out["x"].shape[0])
    out["info"]["frames"] = int(sum(f.shape[0] for f in arrays["features"]))
    log(f"{split}: {out['x'].shape[0]} sequences of {length} frames "
        f"({info['count']} examples, {info['hours']:.2f} h"
        + (f", refreshes {info['refreshes']}" if "refreshes" in info else "") + ")")
    return out


def start_epoch(out: pathlib.Path) -> int:
    state_path = out / "ckpt" / "state.json"
    return json.loads(state_path.read_text())["epoch"] if state_path.exists() else 0


def load_data(config: dict, args, log) -> dict:
    spec = config["data"]["train"]
    refreshes = None
    if spec.get("refresh_every"):  # a resumed run starts from its epoch's refreshes
        refreshes = voice_dataset.refresh_window(start_epoch(args.out), spec["refresh_every"],
                                                 spec.get("refresh_keep", 1))
    built = voice_dataset.build_from_config(config, args.corpus, args.scratch, args.jar, log=log,
                                            refreshes=refreshes)
    length = config["train"]["sequence_frames"]
    return {split: _arrays(info, length, log, split) for split, info in built.items()}


def refresher(config: dict, args, log):
    """``refresh(epoch, data)`` for ``train``: with ``data.train.refresh_every`` it swaps
    ``data["train"]`` for the refreshes of ``epoch`` (building the new one with the Java
    feature dump; refreshes that left the window are deleted from the scratch folder) and
    returns the seconds it took; None without the option (the fixed training split)."""
    import shutil

    spec = config["data"]["train"]
    if not spec.get("refresh_every"):
        return None
    every, keep = spec["refresh_every"], spec.get("refresh_keep", 1)
    length = config["train"]["sequence_frames"]

    def refresh(epoch: int, data: dict) -> float:
        window = voice_dataset.refresh_window(epoch, every, keep)
        if data["train"]["info"].get("refreshes") == window:
            return 0.0
        t0 = time.time()
        for old in data["train"]["info"].get("refreshes", []):
            if old < window[0]:
                shutil.rmtree(args.scratch / f"train_refresh_{old:03d}", ignore_errors=True)
        info = voice_dataset.build_refreshes(config, args.corpus, args.scratch, args.jar, window, log=log)
        parts = info["parts"]
        data["train"] = _arrays(info, length, log, "train")
        seconds = time.time() - t0
        log(f"refresh before epoch {epoch + 1}: refreshes {window} (new: {window[-1]}, seed "
            f"{parts[-1]['base_seed']}, built in {parts[-1]['seconds']:.0f} s), {seconds:.0f} s in all")
        return seconds

    return refresh


def band_sdr_weight(config: dict) -> float:
    """Weight of the band-magnitude SDR term (``loss.band_sdr_weight``, per dB); 0 leaves the
    loss of the committed model: gain loss + VAD."""
    return float(config["loss"].get("band_sdr_weight", 0.0))


def targets(split: dict, config: dict) -> dict:
    """Keras targets of one split: gains and VAD, plus, with a band SDR term, the gains joined
    with the noisy band amplitudes recovered from the features (``[N, T, 44]``)."""
    out = {"gains": split["gains"], "vad": split["vad"]}
    if band_sdr_weight(config) > 0:
        out["band_sdr"] = np.concatenate(
            [split["gains"], voice_model.band_amplitudes(split["x"])], axis=-1)
    return out


def compile_model(nets: dict, config: dict):
    import keras

    t = config["train"]
    loss = config["loss"]
    losses = {"gains": voice_model.gain_loss_tf(loss["gain_quartic_weight"]),
              "vad": voice_model.vad_loss_tf()}
    weights = {"gains": 1.0, "vad": loss["vad_weight"]}
    if band_sdr_weight(config) > 0:
        losses["band_sdr"] = voice_model.band_sdr_loss_tf(loss.get("band_sdr_max_db", 30.0))
        weights["band_sdr"] = band_sdr_weight(config)
    nets["sequence"].compile(
        optimizer=keras.optimizers.Adam(t["learning_rate"], clipnorm=t.get("clipnorm")),
        loss=losses, loss_weights=weights, jit_compile=t.get("jit_compile", True))


def train(nets: dict, data: dict, config: dict, out: pathlib.Path, log, refresh=None) -> dict:
    """Fits with a checkpoint per epoch; returns the state (epochs done, history, best).
    ``refresh(epoch, data)`` (see :func:`refresher`) may swap the training set before an
    epoch; its seconds count towards ``max_minutes`` (``state["refresh_s"]``)."""
    import keras

    model = nets["sequence"]
    ckpt = out / "ckpt"
    ckpt.mkdir(parents=True, exist_ok=True)
    state_path = ckpt / "state.json"
    state = {"epoch": 0, "history": [], "best_val_loss": None, "best_epoch": None, "train_s": 0.0, "cpu_s": 0.0}
    t = config["train"]
    train_x = data["train"]["x"]
    train_y = targets(data["train"], config)
    val = (data["val"]["x"], targets(data["val"], config))
    # One step builds the optimiser's variables, so a checkpoint can be restored into them.
    model.train_on_batch(train_x[:1], {k: v[:1] for k, v in train_y.items()})
    if state_path.exists():
        state = json.loads(state_path.read_text())
        model.load_weights(ckpt / "last.weights.h5")
        saved = np.load(ckpt / "optimizer.npz")
        for i, var in enumerate(model.optimizer.variables):
            var.assign(saved[f"v{i}"])
        log(f"resumed after epoch {state['epoch']} (val loss {state['history'][-1]['val_loss']:.5f})")

    budget_s = t["max_minutes"] * 60.0 if "max_minutes" in t else None
    cpu_budget_s = t["cpu_budget_minutes"] * 60.0 if "cpu_budget_minutes" in t else None
    while state["epoch"] < t["epochs"]:
        if cpu_budget_s is not None and state.get("cpu_s", 0.0) >= cpu_budget_s:
            break
        if refresh is not None:
            spent = refresh(state["epoch"], data)
            if spent:
                state["refresh_s"] = state.get("refresh_s", 0.0) + spent
                train_x = data["train"]["x"]
                train_y = targets(data["train"], config)
        epoch_start = time.time()
        cpu_start = time.process_time()
        # Seeded by (seed, epoch): a resumed run sees the same order an uninterrupted one would.
        order = np.random.default_rng([config["seed"], state["epoch"]]).permutation(train_x.shape[0])
        hist = model.fit(train_x[order], {k: v[order] for k, v in train_y.items()},
                         batch_size=t["batch_size"], epochs=1, verbose=0, shuffle=False,
                         validation_data=val, validation_batch_size=t["batch_size"])
        h = {k: float(v[-1]) for k, v in hist.history.items()}
        state["epoch"] += 1
        state["train_s"] += time.time() - epoch_start
        state["cpu_s"] = state.get("cpu_s", 0.0) + time.process_time() - cpu_start
        h["epoch"] = state["epoch"]
        h["seconds"] = time.time() - epoch_start
        h["cpu_s"] = state["cpu_s"]
        if "refreshes" in data["train"]["info"]:
            h["refreshes"] = data["train"]["info"]["refreshes"]
            h["refresh_s"] = state.get("refresh_s", 0.0)
        state["history"].append(h)
        model.save_weights(ckpt / "last.weights.h5")
        np.savez(ckpt / "optimizer.npz", **{f"v{i}": np.asarray(v) for i, v in enumerate(model.optimizer.variables)})
        if state["best_val_loss"] is None or h["val_loss"] < state["best_val_loss"]:
            state["best_val_loss"], state["best_epoch"] = h["val_loss"], state["epoch"]
            model.save_weights(ckpt / "best.weights.h5")
        state_path.write_text(json.dumps(state, indent=1))
        log(f"epoch {state['epoch']}: loss {h['loss']:.5f} (gains {h.get('gains_loss', float('nan')):.5f}, "
            f"vad {h.get('vad_loss', float('nan')):.5f}) val {h['val_loss']:.5f} "
            f"(gains {h.get('val_gains_loss', float('nan')):.5f}, vad {h.get('val_vad_loss', float('nan')):.5f}"
            + (f", band SDR {h['val_band_sdr_loss']:.3f} dB" if "val_band_sdr_loss" in h else "") + ") "
            f"{h['seconds']:.0f} s, {state['cpu_s'] / 60:.2f} CPU-min")
        patience = t.get("patience")
        if patience and state["epoch"] - state["best_epoch"] >= patience:
            log(f"stopping: no better validation loss for {patience} epochs (best epoch {state['best_epoch']})")
            break
        if cpu_budget_s is not None and state["cpu_s"] >= cpu_budget_s:
            log(f"stopping: {state['cpu_s'] / 60:.2f} CPU-min used (process time, every thread) after "
                f"epoch {state['epoch']}, cpu_budget_minutes={t['cpu_budget_minutes']}")
            break
        mean_epoch = state["train_s"] / max(len(state["history"]), 1)
        used = state["train_s"] + state.get("refresh_s", 0.0)
        if budget_s is not None and used + mean_epoch > budget_s:
            log(f"stopping: {used / 60:.1f} min used, another epoch would pass "
                f"max_minutes={t['max_minutes']}")
            break
    return state


# ---------------------------------------------------------------------------- export


def stream_module(stream, sizes: dict):
    import tensorflow as tf

    class Stream(tf.Module):
        def __init__(self):
            super().__init__()
            self.model = stream

        @tf.function(input_signature=[
            tf.TensorSpec([1, voice_model.FEATURE_COUNT], tf.float32, name="features"),
            tf.TensorSpec([1, sizes["vad_state"]], tf.float32, name="vad_state"),
            tf.TensorSpec([1, sizes["noise_state"]], tf.float32, name="noise_state"),
            tf.TensorSpec([1, sizes["denoise_state"]], tf.float32, name="denoise_state")])
        def step(self, features, vad_state, noise_state, denoise_state):
            out = self.model({"features": features, "vad_state": vad_state,
                              "noise_state": noise_state, "denoise_state": denoise_state})
            return {k: out[k] for k in OUTPUT_NAMES}

    return Stream()


def calibration_samples(nets: dict, x: np.ndarray, frames_per_sequence: int, seed: int) -> list[dict]:
    """Real frames with the states the float model holds when it reaches them: the state
    input at frame t is the GRU output at frame t-1 (zeros at t = 0)."""
    rng = np.random.default_rng(seed)
    v, n, s = nets["states"].predict(x, verbose=0)
    samples = []
    for i in range(x.shape[0]):
        for t in np.sort(rng.choice(x.shape[1], size=min(frames_per_sequence, x.shape[1]), replace=False)):
            prev = lambda a: a[i, t - 1] if t > 0 else np.zeros(a.shape[-1], np.float32)
            samples.append({"features": x[i, t][None], "vad_state": prev(v)[None],
                            "noise_state": prev(n)[None], "denoise_state": prev(s)[None]})
    return samples


def convert(module, int8: bool, samples: list[dict] | None = None) -> bytes:
    import tensorflow as tf

    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    # Freeze the weights into constants first: converting the Keras 3 model's function directly
    # keeps READ_VARIABLE ops on resources nothing initialises (NaN out). The frozen function
    # returns a flat list, so a wrapper restores the named outputs of the signature.
    concrete = module.step.get_concrete_function()
    frozen = convert_variables_to_constants_v2(concrete)
    signature = list(module.step.input_signature)

    class Frozen(tf.Module):
        @tf.function(input_signature=signature)
        def step(self, features, vad_state, noise_state, denoise_state):
            flat = frozen(features=features, vad_state=vad_state, noise_state=noise_state,
                          denoise_state=denoise_state)
            return tf.nest.pack_sequence_as(concrete.structured_outputs, flat)

    wrapper = Frozen()
    converter = tf.lite.TFLiteConverter.from_concrete_functions([wrapper.step.get_concrete_function()], wrapper)
    # Per-channel dense weights run silently wrong on the 2.6 desktop runtime; per-tensor ones
    # give op versions every runtime here runs (DESIGN.md).
    converter._experimental_disable_per_channel_quantization_for_dense_layers = True
    if int8:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: ({k: v.astype(np.float32) for k, v in s.items()} for s in samples)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()


class TfliteStream:
    """Runs a converted model frame by frame through its signature, quantising int8 inputs and
    dequantising int8 outputs with the tensors' own parameters, state fed back."""

    def __init__(self, model: bytes, num_threads: int | None = None):
        import tensorflow as tf

        self.interpreter = tf.lite.Interpreter(model_content=model, num_threads=num_threads)
        self.runner = self.interpreter.get_signature_runner("serving_default")
        self.inputs = self.runner.get_input_details()
        self.outputs = self.runner.get_output_details()

    def _q(self, name, value):
        d = self.inputs[name]
        if d["dtype"] == np.int8:
            scale, zero = d["quantization"]
            return np.clip(np.round(value / scale) + zero, -128, 127).astype(np.int8)
        return value.astype(np.float32)

    def _dq(self, name, value):
        d = self.outputs[name]
        if d["dtype"] == np.int8:
            scale, zero = d["quantization"]
            return (value.astype(np.float32) - zero) * scale
        return value

    def run(self, x: np.ndarray, sizes: dict) -> tuple[np.ndarray, np.ndarray]:
        states = {k: np.zeros((1, n), np.float32) for k, n in sizes.items()}
        gains, vads = [], []
        for t in range(x.shape[0]):
            feed = {"features": self._q("features", x[t][None]), **{k: self._q(k, v) for k, v in states.items()}}
            out = {k: self._dq(k, v) for k, v in self.runner(**feed).items()}
            states = {k: out[k + "_out"] for k in sizes}
            gains.append(out["gains"][0])
            vads.append(out["vad"][0, 0])
        return np.array(gains), np.array(vads)


def keras_stream(module, x: np.ndarray, sizes: dict) -> tuple[np.ndarray, np.ndarray]:
    states = {k: np.zeros((1, n), np.float32) for k, n in sizes.items()}
    gains, vads = [], []
    for t in range(x.shape[0]):
        out = module.step(features=x[t][None], **states)
        states = {k: out[k + "_out"].numpy() for k in sizes}
        gains.append(out["gains"].numpy()[0])
        vads.append(out["vad"].numpy()[0, 0])
    return np.array(gains), np.array(vads)


def export(nets: dict, data: dict, config: dict, state: dict, out: pathlib.Path, models: pathlib.Path,
           norm: dict, log) -> dict:
    import tensorflow as tf

    name = config["name"]
    sizes = voice_model.state_sizes(config["model"])
    module = stream_module(nets["stream"], sizes)
    e = config["export"]
    calib = calibration_samples(nets, data["train"]["x"][:e["calibration_sequences"]],
                                e["calibration_frames_per_sequence"], config["seed"])
    log(f"calibration: {len(calib)} real frames with recorded states from "
        f"{e['calibration_sequences']} training sequences")
    val_x = data["val"]["x"][:e["verify_sequences"]]
    reference = [keras_stream(module, seq, sizes) for seq in val_x]
    seq_out = nets["sequence"].predict(val_x, verbose=0)
    stream_vs_sequence = float(np.max(np.abs(np.stack([r[0] for r in reference]) - seq_out["gains"])))
    log(f"keras one-frame vs sequence model: max |gain diff| {stream_vs_sequence:.2e}")
    results = {}
    for kind in ("float32", "int8"):
        t0 = time.time()
        blob = convert(module, kind == "int8", calib)
        runner = TfliteStream(blob)
        g_err, v_err = [], []
        for seq, (g_ref, v_ref) in zip(val_x, reference):
            g, v = runner.run(seq, sizes)
            g_err.append(np.abs(g - g_ref))
            v_err.append(np.abs(v - v_ref))
        g_err, v_err = np.concatenate(g_err), np.concatenate(v_err)
        check = {"sequences": int(len(val_x)), "frames": int(g_err.shape[0]),
                 "reference": "Keras one-frame model (same weights), state fed back per frame",
                 "gain_abs_error_max": float(g_err.max()), "gain_abs_error_mean": float(g_err.mean()),
                 "vad_abs_error_max": float(v_err.max()), "vad_abs_error_mean": float(v_err.mean())}
        log(f"{kind}: {len(blob)} bytes, converted in {time.time() - t0:.0f} s; vs Keras on "
            f"{check['frames']} val frames: gain |err| max {check['gain_abs_error_max']:.4f} "
            f"mean {check['gain_abs_error_mean']:.5f}, vad |err| max {check['vad_abs_error_max']:.4f}")
        folder = models / f"{name}_{kind}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "model.tflite").write_bytes(blob)
        extra = {
            "model": f"{name}_{kind}",
            "kind": "voice band-gain model (RNNoise-style GRU), one 10 ms frame per invoke",
            "precision": kind,
            "converter": f"tensorflow {tf.__version__}, per-channel dense quantization disabled",
            "state_handoff": "feed X_state_out of frame t as X_state of frame t+1 (zeros at the start); "
                             "for int8, dequantise with the output's parameters and requantise with the "
                             "input's, which differ",
            "hop": voice_dataset.HOP,
            "feature_normalisation": "inside the model (raw FeatureExtractor features in)",
            "feature_mean": norm["mean"], "feature_std": norm["std"],
            "params": voice_model.count_params(config["model"]),
            "macs_per_frame": voice_model.macs_per_frame(config["model"]),
            "macs_per_second": voice_model.macs_per_second(config["model"]),
            "training_data": {
                "corpus": "python -m training.corpus build (splits in training/data/splits)",
                "train": data["train"]["info"], "val": data["val"]["info"],
                "example_s": config["data"]["example_s"],
                "mixing": "training.mixing.MixConfig defaults: SNR -5...20 dB speech-active, reverb p=0.5 "
                          "(target early reverb), low-pass p=0.3 and at the clean clips' bandwidth",
                **({"mix_overrides": config["data"]["mix"]} if config["data"].get("mix") else {}),
                **({"clean_examples": voice_dataset.clean_option(config["data"])}
                   if voice_dataset.clean_option(config["data"]) else {}),
                **({"fresh_mixtures": {
                    "refresh_every_epochs": config["data"]["train"]["refresh_every"],
                    "refreshes_in_window": config["data"]["train"].get("refresh_keep", 1),
                    "examples_per_refresh": config["data"]["train"]["count"],
                    "refreshes_built": (state["history"][-1].get("refreshes", [0])[-1] + 1)
                    if state["history"] else None,
                    "seed_rule": "refresh 0: data.train.seed; refresh k: SeedSequence([seed, k])"}}
                   if config["data"]["train"].get("refresh_every") else {}),
            },
            "seed": config["seed"],
            "config": config,
            "epochs": state["epoch"],
            "best_epoch": state["best_epoch"],
            "val_loss": state["best_val_loss"],
            "train_minutes": round(state["train_s"] / 60.0, 1),
            "train_cpu_minutes": round(state.get("cpu_s", 0.0) / 60.0, 2),
            "calibration": {"frames": len(calib), "source": "train sequences, float-model states recorded "
                            "at each chosen frame"},
            "check_vs_keras": check,
        }
        # The Java adapter's format (training/manifest.py): tensors in signature order, bound
        # by signature name, with the TFLite tensor name and position recorded and checked.
        manifest = model_manifest.gain_model_manifest(
            blob, runner.interpreter, runner.runner, list(INPUT_NAMES), list(OUTPUT_NAMES),
            [(k, k + "_out") for k in STATE_NAMES], extra)
        ordered = {"model": manifest["model"], **manifest}
        (folder / "manifest.json").write_text(json.dumps(ordered, indent=1) + "\n")
        results[kind] = ordered
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True, help="checkpoints, log, saved model")
    parser.add_argument("--corpus", type=pathlib.Path, required=True)
    parser.add_argument("--scratch", type=pathlib.Path, required=True)
    parser.add_argument("--jar", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True, help="where <name>_<kind>/ folders go")
    parser.add_argument("--export-only", action="store_true", help="export the best checkpoint")
    args = parser.parse_args(argv)
    config = json.loads(args.config.read_text())
    threads = config["train"].get("threads")
    if threads:  # a shared machine: keep TensorFlow to its share of the cores
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    args.out.mkdir(parents=True, exist_ok=True)
    log = Log(args.out / "train_log.txt")
    log(f"config {args.config}: {json.dumps(config, sort_keys=True)}")
    log(f"params {voice_model.count_params(config['model'])}, "
        f"{voice_model.macs_per_second(config['model']) / 1e9:.4f} GMAC/s")
    data = load_data(config, args, log)
    flat = data["train"]["x"].reshape(-1, voice_model.FEATURE_COUNT)
    norm = {"mean": [float(v) for v in flat.mean(0)], "std": [float(v) for v in flat.std(0)]}
    norm_path = args.out / "normalisation.json"
    if norm_path.exists():  # a resumed run keeps the statistics its weights were trained with
        norm = json.loads(norm_path.read_text())
    norm_path.write_text(json.dumps(norm))
    nets = voice_model.build(config["model"], norm["mean"], norm["std"], seed=config["seed"],
                             band_sdr_output=band_sdr_weight(config) > 0)
    compile_model(nets, config)
    if args.export_only:
        state = json.loads((args.out / "ckpt" / "state.json").read_text())
    else:
        state = train(nets, data, config, args.out, log, refresh=refresher(config, args, log))
        if state.get("refresh_s"):
            log(f"refreshes took {state['refresh_s'] / 60:.1f} min against {state['train_s'] / 60:.1f} min "
                f"of training epochs ({100 * state['refresh_s'] / state['train_s']:.0f} %)")
    nets["sequence"].load_weights(args.out / "ckpt" / "best.weights.h5")
    log(f"exporting best epoch {state['best_epoch']} (val loss {state['best_val_loss']:.5f})")
    export(nets, data, config, state, args.out, args.models, norm, log)
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
