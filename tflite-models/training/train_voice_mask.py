"""Trains a spectral-mask voice model (U-Net or CRN) under a CPU-time budget and exports it
to TensorFlow Lite (float32 and int8), one 10 ms frame per invocation with explicit state.

From ``tflite-models/`` (needs ``pip install -r training/requirements-train.txt``)::

    nice -n 5 python -m training.train_voice_mask --config training/configs/voice_unet_small.json \\
        --corpus /work/corpus --scratch /work/vtrain-scratch --out /work/vtrain-runs/voice_unet_small \\
        --models src/main/resources/models/voice

``config["architecture"]`` picks :mod:`training.voice_unet` or :mod:`training.voice_crn`.
Steps: build or reuse the cached spectra of the config's examples
(:mod:`training.voice_mask_data`; the same mixtures ``train_voice`` turns into features),
train on random ``sequence_frames`` chunks with Adam on the compressed-magnitude loss
(:func:`training.voice_mask.compressed_mse_tf`; with ``model.mask = "complex"`` the compressed
complex loss :func:`training.voice_mask.complex_compressed_mse_tf`) until ``train.cpu_budget_minutes`` of
process CPU time (``time.process_time``: every thread of this process, training steps and
validation, not data building or export) have been used, stopping after the step that
crosses it; validate and checkpoint every ``eval_every_steps`` steps and at the stop
(rerunning resumes from ``OUT/ckpt`` with the CPU time already used). Then export the best
validation checkpoint's one-frame graph to ``MODELS/<name>_{float32,int8}/`` with
``model.tflite`` and ``manifest.json`` (outputs ``mask`` or ``mask_re``/``mask_im``): int8 calibrated on real training frames with the
states the float model reaches there; both files checked against the Keras one-frame model
on validation frames, and the Keras one-frame model against the sequence model.
``--export-only`` skips training.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pathlib
import sys
import time

import numpy as np

from .runlog import Log
from . import manifest as model_manifest
from . import voice_mask, voice_mask_data, voice_stft
from .train_voice import TfliteStream

ARCHITECTURES = {"unet": "training.voice_unet", "crn": "training.voice_crn"}


def architecture(config: dict):
    name = config["architecture"]
    if name not in ARCHITECTURES:
        raise ValueError(f"architecture {name!r}; known: {sorted(ARCHITECTURES)}")
    return importlib.import_module(ARCHITECTURES[name])


def normalisation(arrays: dict, examples: int) -> dict:
    """Per-bin mean and standard deviation of ``ln`` power over the first ``examples`` training examples."""
    x = np.asarray(arrays["lnp"][:examples], np.float64).reshape(-1, voice_stft.BINS)
    return {"mean": [float(v) for v in x.mean(0)], "std": [float(v) for v in x.std(0)]}


def validation_loss(model, arrays: dict, length: int, batch: int, kind: str = "magnitude") -> float:
    """Mean loss (of the mask ``kind``) over every full ``length``-frame chunk of the split."""
    n, frames = arrays["lnp"].shape[:2]
    index = voice_mask_data.chunk_index(n, frames, length)
    total, count = 0.0, 0
    for i in range(0, len(index), batch):
        b = voice_mask_data.gather(arrays, index[i:i + batch], length)
        mask = model(b["lnp"], training=False)
        total += float(voice_mask.loss_tf(kind, mask, b)) * len(b["lnp"])
        count += len(b["lnp"])
    return total / count


def passthrough_loss(arrays: dict, kind: str = "magnitude") -> float:
    """The loss of mask = 1 (the noisy input) on the split: the floor to beat."""
    total = 0.0
    n = arrays["lnp"].shape[0]
    for e in range(n):
        total += voice_mask.loss_np(kind, np.ones(1), {k: arrays[k][e] for k in voice_mask.LOSS_ARRAYS[kind]})
    return total / n


def compressed_np(mask, xc, sc) -> float:
    return voice_mask.compressed_mse_np(mask, np.asarray(xc, np.float32), np.asarray(sc, np.float32))


def train(nets: dict, data: dict, config: dict, out: pathlib.Path, log) -> dict:
    """Adam steps on shuffled chunks until the CPU budget is spent; returns the state
    (steps, CPU seconds, history, best)."""
    import keras
    import tensorflow as tf

    model = nets["sequence"]
    kind = nets.get("mask", "magnitude")
    keys = voice_mask.LOSS_ARRAYS[kind]
    t = config["train"]
    length, batch = t["sequence_frames"], t["batch_size"]
    arrays = data["train"]["arrays"]
    index = voice_mask_data.chunk_index(arrays["lnp"].shape[0], arrays["lnp"].shape[1], length)
    per_epoch = len(index) // batch
    optimizer = keras.optimizers.Adam(t["learning_rate"], clipnorm=t.get("clipnorm"))
    ckpt = out / "ckpt"
    ckpt.mkdir(parents=True, exist_ok=True)
    state_path = ckpt / "state.json"

    @tf.function(jit_compile=t.get("jit_compile", False), reduce_retracing=True)
    def step(lnp, *targets):
        with tf.GradientTape() as tape:
            loss = voice_mask.loss_tf(kind, model(lnp, training=True), dict(zip(keys, targets)))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    state = {"step": 0, "cpu_s": 0.0, "wall_s": 0.0, "history": [], "best_val_loss": None, "best_step": None}
    optimizer.build(model.trainable_variables)
    if state_path.exists():
        state = json.loads(state_path.read_text())
        model.load_weights(ckpt / "last.weights.h5")
        saved = np.load(ckpt / "optimizer.npz")
        for i, var in enumerate(optimizer.variables):
            var.assign(saved[f"v{i}"])
        log(f"resumed after step {state['step']} ({state['cpu_s'] / 60:.1f} CPU-min used)")
    budget_s = t["cpu_budget_minutes"] * 60.0
    cpu0, wall0, used0, wall_used0 = time.process_time(), time.time(), state["cpu_s"], state["wall_s"]
    running, running_n = 0.0, 0
    order = None
    while state["cpu_s"] < budget_s:
        epoch, pos = divmod(state["step"], per_epoch)
        if order is None or pos == 0:
            # Seeded by (seed, epoch): a resumed run draws the order an uninterrupted one would.
            order = np.random.default_rng([config["seed"], epoch]).permutation(len(index))
        b = voice_mask_data.gather(arrays, index[order[pos * batch:(pos + 1) * batch]], length)
        loss = float(step(tf.constant(b["lnp"]), *(tf.constant(b[k]) for k in keys)))
        if not np.isfinite(loss):
            raise FloatingPointError(f"loss {loss} at step {state['step'] + 1}")
        running, running_n = running + loss, running_n + 1
        state["step"] += 1
        state["cpu_s"] = used0 + time.process_time() - cpu0
        final = state["cpu_s"] >= budget_s
        if state["step"] % t["eval_every_steps"] and not final:
            continue
        val = validation_loss(model, data["val"]["arrays"], length, batch, kind)
        state["cpu_s"] = used0 + time.process_time() - cpu0
        state["wall_s"] = wall_used0 + time.time() - wall0
        h = {"step": state["step"], "epoch": round(state["step"] / per_epoch, 3), "loss": running / running_n,
             "val_loss": val, "cpu_s": round(state["cpu_s"], 1), "wall_s": round(state["wall_s"], 1)}
        running, running_n = 0.0, 0
        state["history"].append(h)
        model.save_weights(ckpt / "last.weights.h5")
        np.savez(ckpt / "optimizer.npz", **{f"v{i}": np.asarray(v) for i, v in enumerate(optimizer.variables)})
        if state["best_val_loss"] is None or val < state["best_val_loss"]:
            state["best_val_loss"], state["best_step"] = val, state["step"]
            model.save_weights(ckpt / "best.weights.h5")
        state_path.write_text(json.dumps(state, indent=1))
        log(f"step {h['step']} (epoch {h['epoch']:.2f}): loss {h['loss']:.5f} val {val:.5f} "
            f"cpu {state['cpu_s'] / 60:.2f} min wall {state['wall_s'] / 60:.2f} min")
    log(f"stopping: {state['cpu_s'] / 60:.2f} CPU-min used of cpu_budget_minutes={t['cpu_budget_minutes']} "
        f"after step {state['step']} ({state['step'] / per_epoch:.2f} epochs of {per_epoch} steps); "
        f"best val {state['best_val_loss']:.5f} at step {state['best_step']}")
    return state


# ---------------------------------------------------------------------------- export


def stream_function(stream, state_sizes: dict, kind: str = "magnitude"):
    """A ``tf.function`` over the one-frame model with the contract's named inputs and outputs."""
    import tensorflow as tf

    masks = list(voice_mask.MASK_OUTPUTS[kind])
    names = ["spectrum"] + list(state_sizes)
    signature = [tf.TensorSpec([1, voice_stft.BINS], tf.float32, name="spectrum")] + \
        [tf.TensorSpec([1, n], tf.float32, name=k) for k, n in state_sizes.items()]

    @tf.function(input_signature=signature)
    def step(*tensors):
        out = stream(dict(zip(names, tensors)), training=False)
        return {k: out[k] for k in masks + [f"{s}_out" for s in state_sizes]}

    return step, signature


def convert(stream, state_sizes: dict, int8: bool, samples: list[dict] | None = None,
            weights_only: bool = False, kind: str = "magnitude") -> bytes:
    """TFLite flatbuffer of the one-frame model: weights frozen to constants first (as
    ``train_voice.convert``: Keras 3 variables otherwise reach the file as uninitialised
    resources); ``int8``: full integer with int8 inputs and outputs, calibrated on ``samples``,
    or with ``weights_only`` int8 weights and float32 activations, inputs and outputs
    (dynamic-range quantisation: no calibration, for states whose range one int8 scale cannot
    cover, such as an LSTM's cell state)."""
    import tensorflow as tf
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    step, signature = stream_function(stream, state_sizes, kind)
    concrete = step.get_concrete_function()
    frozen = convert_variables_to_constants_v2(concrete)
    names = ["spectrum"] + list(state_sizes)

    class Frozen(tf.Module):
        @tf.function(input_signature=signature)
        def step(self, *tensors):
            flat = frozen(**dict(zip(names, tensors)))
            return tf.nest.pack_sequence_as(concrete.structured_outputs, flat)

    wrapper = Frozen()
    converter = tf.lite.TFLiteConverter.from_concrete_functions([wrapper.step.get_concrete_function()], wrapper)
    converter._experimental_disable_per_channel_quantization_for_dense_layers = True
    if int8 and weights_only:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    elif int8:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: ({k: v.astype(np.float32) for k, v in s.items()} for s in samples)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()


LOSS_TEXT = {
    "magnitude": "mean (m^0.3 |X|^0.3 - |S|^0.3)^2 over frames and bins",
    "complex": "0.3 * mean |c(M X) - c(S)|^2 + 0.7 * mean (|M X|^0.3 - |S|^0.3)^2 over frames and bins, "
               "c(Z) = |Z|^0.3 e^(i angle Z), M = mask_re + i mask_im",
}


class TfliteMaskStream(TfliteStream):
    """Runs a converted mask model frame by frame through its signature (int8 inputs quantised
    and outputs dequantised with the tensors' own parameters, as :class:`TfliteStream` does for
    the gain model), state fed back as real values."""

    def __init__(self, model: bytes):
        super().__init__(model, num_threads=1)

    def run(self, spectra: np.ndarray, state_sizes: dict) -> np.ndarray:
        states = {k: np.zeros((1, n), np.float32) for k, n in state_sizes.items()}
        masks = []
        for t in range(spectra.shape[0]):
            feed = {"spectrum": self._q("spectrum", spectra[t][None]), **{k: self._q(k, v) for k, v in states.items()}}
            out = {k: self._dq(k, v) for k, v in self.runner(**feed).items()}
            states = {k: out[k + "_out"] for k in state_sizes}
            masks.append(voice_mask.stream_mask(out))
        return np.array(masks)


def export(nets: dict, data: dict, config: dict, state: dict, models: pathlib.Path, norm_path: str,
           log) -> dict:
    import tensorflow as tf

    name, e = config["name"], config["export"]
    sizes, stream = nets["state_sizes"], nets["stream"]
    mask = nets.get("mask", "magnitude")
    keys = voice_mask.LOSS_ARRAYS[mask]
    fast = tf.function(lambda feed: stream(feed, training=False))
    rng = np.random.default_rng(config["seed"])
    train_lnp, val = data["train"]["arrays"]["lnp"], data["val"]["arrays"]
    calib = []
    span = e["calibration_frames_span"]
    for i in range(e["calibration_examples"]):
        ex = int(rng.integers(0, train_lnp.shape[0]))
        frames = np.sort(rng.choice(span, size=e["calibration_frames_per_example"], replace=False))
        calib += voice_mask.recorded_states(fast, np.asarray(train_lnp[ex, :span], np.float32), sizes, frames)
    log(f"calibration: {len(calib)} real training frames with the states the float model reaches there "
        f"({e['calibration_examples']} examples)")
    n_verify, vf = e["verify_examples"], e["verify_frames"]
    spectra = [np.asarray(val["lnp"][i, :vf], np.float32) for i in range(n_verify)]
    reference = [voice_mask.keras_stream(fast, s, sizes) for s in spectra]
    seq = voice_mask.as_mask(mask, nets["sequence"].predict(np.stack(spectra), verbose=0))
    stream_vs_sequence = float(np.max(np.abs(np.stack(reference) - seq)))
    log(f"keras one-frame vs sequence model on {n_verify} x {vf} val frames: max |mask diff| {stream_vs_sequence:.2e}")
    targets = [{k: np.asarray(val[k][i, :vf], np.float32) for k in keys} for i in range(n_verify)]
    ref_loss = float(np.mean([voice_mask.loss_np(mask, r, a) for r, a in zip(reference, targets)]))
    results = {}
    weights_only = e.get("int8", "full") == "weights_only"
    for kind in ("float32", "int8"):
        t0 = time.time()
        blob = convert(stream, sizes, kind == "int8", calib, weights_only=weights_only, kind=mask)
        runner = TfliteMaskStream(blob)
        masks = [runner.run(s, sizes) for s in spectra]
        err = np.concatenate([np.abs(m - r) for m, r in zip(masks, reference)])
        loss = float(np.mean([voice_mask.loss_np(mask, m, a) for m, a in zip(masks, targets)]))
        check = {"examples": n_verify, "frames": int(err.shape[0]),
                 "reference": "Keras one-frame model (same weights), state fed back per frame",
                 "mask_abs_error_max": float(err.max()), "mask_abs_error_mean": float(err.mean()),
                 "loss_on_these_frames": loss, "keras_loss_on_these_frames": ref_loss,
                 "keras_stream_vs_sequence_max": stream_vs_sequence}
        log(f"{kind}: {len(blob)} bytes, converted in {time.time() - t0:.0f} s; vs Keras on {err.shape[0]} val "
            f"frames: mask |err| max {check['mask_abs_error_max']:.4f} mean {check['mask_abs_error_mean']:.5f}; "
            f"loss {loss:.5f} (Keras {ref_loss:.5f})")
        folder = models / f"{name}_{kind}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "model.tflite").write_bytes(blob)
        extra = {
            "model": f"{name}_{kind}",
            "architecture": config["architecture"],
            "description": config["description"],
            "precision": kind if kind == "float32" or not weights_only else
                         "int8 weights (dynamic range), float32 activations, inputs and outputs",
            "converter": f"tensorflow {tf.__version__}, per-channel dense quantization disabled",
            "state_handoff": "feed <state>_out of frame t as <state> of frame t+1 (zeros at the start); for "
                             "int8, dequantise with the output's parameters and requantise with the input's",
            "normalisation": f"inside the model (per-bin mean/std of the training ln power; {norm_path})",
            "params": nets["params"],
            "macs_per_frame": nets["macs_per_frame"],
            "macs_per_second": nets["macs_per_frame"] * voice_mask.FRAMES_PER_SECOND,
            "loss": LOSS_TEXT[mask],
            "training_data": {
                "corpus": "python -m training.corpus build (splits in training/data/splits)",
                "examples": "training.voice_dataset.ExampleBuilder (as train_voice), spectra by training.voice_stft",
                "train": data["train"]["info"], "val": data["val"]["info"],
                "example_s": config["data"]["example_s"], "augment": config["data"].get("augment"),
            },
            "seed": config["seed"],
            "budget": {"cpu_budget_minutes": config["train"]["cpu_budget_minutes"],
                       "cpu_minutes_used": round(state["cpu_s"] / 60.0, 2),
                       "wall_minutes": round(state["wall_s"] / 60.0, 2),
                       "threads": config["train"].get("threads"), "steps": state["step"]},
            "config": config,
            "best_step": state["best_step"],
            "val_loss": state["best_val_loss"],
            "calibration": {"frames": len(calib), "source": "training examples, float-model states recorded "
                            "at each chosen frame"} if not (weights_only and kind == "int8") else
                           "none (dynamic-range quantisation: weights only)",
            "check_vs_keras": check,
        }
        manifest = model_manifest.mask_model_manifest(blob, runner.interpreter, runner.runner, list(sizes), extra,
                                                      mask=mask)
        ordered = {"model": manifest["model"], **manifest}
        (folder / "manifest.json").write_text(json.dumps(ordered, indent=1) + "\n")
        results[kind] = ordered
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True, help="checkpoints, log, normalisation")
    parser.add_argument("--corpus", type=pathlib.Path, required=True)
    parser.add_argument("--scratch", type=pathlib.Path, required=True, help="cached spectra (outside the repository)")
    parser.add_argument("--models", type=pathlib.Path, required=True, help="where <name>_<kind>/ folders go")
    parser.add_argument("--export-only", action="store_true", help="export the best checkpoint")
    args = parser.parse_args(argv)
    config = json.loads(args.config.read_text())
    threads = config["train"].get("threads")
    import tensorflow as tf

    if threads:  # a shared machine: keep TensorFlow to its share of the cores
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    args.out.mkdir(parents=True, exist_ok=True)
    log = Log(args.out / "train_log.txt")
    log(f"config {args.config}: {json.dumps(config, sort_keys=True)}")
    arch = architecture(config)
    built = voice_mask_data.build_from_config(config, args.corpus, args.scratch, log=log)
    data = {}
    for split, info in built.items():
        shape = info["arrays"]["lnp"].shape
        data[split] = {"arrays": info["arrays"],
                       "info": {"count": info["count"], "base_seed": info["base_seed"], "hours": info["hours"],
                                "frames": int(shape[0] * shape[1])}}
        log(f"{split}: {shape[0]} examples x {shape[1]} frames ({info['hours']:.2f} h) from {info['folder']}")
    norm_path = args.out / "normalisation.json"
    if norm_path.exists():  # a resumed run keeps the statistics its weights were trained with
        norm = json.loads(norm_path.read_text())
    else:
        norm = normalisation(data["train"]["arrays"], config["train"].get("normalisation_examples", 200))
        norm_path.write_text(json.dumps(norm))
    nets = voice_mask.build(arch.forward, config["model"], norm["mean"], norm["std"], seed=config["seed"])
    nets["params"] = voice_mask.count_params(nets["sequence"])
    nets["macs_per_frame"] = voice_mask.macs_per_frame(nets["stream"])
    log(f"{config['architecture']}: params {nets['params']}, MACs/frame {nets['macs_per_frame']} "
        f"({nets['macs_per_frame'] * voice_mask.FRAMES_PER_SECOND / 1e9:.4f} GMAC/s), "
        f"{len(nets['state_sizes'])} state tensors of {sum(nets['state_sizes'].values())} values")
    log(f"val loss of mask = 1 (noisy input): {passthrough_loss(data['val']['arrays'], nets['mask']):.5f}")
    if args.export_only:
        state = json.loads((args.out / "ckpt" / "state.json").read_text())
    else:
        state = train(nets, data, config, args.out, log)
    nets["sequence"].load_weights(args.out / "ckpt" / "best.weights.h5")
    log(f"exporting best step {state['best_step']} (val loss {state['best_val_loss']:.5f})")
    export(nets, data, config, state, args.models, "OUT/normalisation.json", log)
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
