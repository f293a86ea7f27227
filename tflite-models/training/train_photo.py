"""Trains the photo denoiser and exports it to TensorFlow Lite (float32 and int8).

From ``tflite-models/`` after ``python -m training.photo_corpus build --out /work/photos``::

    nice -n 5 python -m training.train_photo --config training/configs/photo_ffdnet_small.json \\
        --out /work/photo-run/ffdnet_small --corpus /work/photos \\
        --models src/main/resources/models/photo --golden src/test/resources/golden/photo

Trains on random crops of the train photos with noise from :mod:`training.photo_noise`
(batch ``b`` of step ``s`` is a pure function of ``(seed, s)``), checkpoints every
``train.checkpoint_minutes`` into ``OUT/ckpt`` (rerunning the command resumes there) and
stops after ``train.steps`` or ``train.max_minutes``. Validation: PSNR on fixed crops of the
val photos at sigma 25 Gaussian noise (colour and gray) and on realistic noise, computed in
float32 whatever the training precision (since 2026-12-07; earlier logs validated under the
training policy). Then
:mod:`training.export_photo` writes ``MODELS/<name>_{float32,int8}/`` (``--export-only`` skips
training).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import time

import numpy as np

from .runlog import Log
from . import photo_int8, photo_model, photo_noise, photo_qat, photo_weights

PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent.parent  # tflite-models/: config paths are relative to it


def load_photos(corpus: pathlib.Path, split: str) -> tuple[list[str], list[np.ndarray]]:
    from PIL import Image
    ids = (corpus / f"photos_{split}.txt").read_text().split()
    return ids, [np.asarray(Image.open(corpus / "clean" / f"{i}.png")) for i in ids]


def validation_set(images: list[np.ndarray], cfg: dict, seed: int) -> dict:
    """Fixed crops of the val photos: Gaussian sigma 25 colour, the same in gray, and the
    training noise mixture, each with its own seeded noise."""
    v = cfg["validation"]
    sampler = photo_noise.PatchSampler(images, v["patch"], seed, photo_noise.NoiseConfig())
    rng = np.random.default_rng([seed, 7])
    clean = np.stack([sampler.clean_crop(rng) for _ in range(v["crops"])])
    sets = {}
    for name, gray in (("gauss25_rgb", False), ("gauss25_gray", True)):
        c = np.stack([photo_noise.to_gray3(x) for x in clean]) if gray else clean
        n = rng.standard_normal(c.shape[:3] + ((1,) if gray else (3,)), dtype=np.float32)
        n = np.repeat(n, 3, -1) if gray else n
        noisy = photo_noise.quantise8(c + 25.0 / 255.0 * n)
        sets[name] = (noisy, np.full((len(c),), 25.0 / 255.0, np.float32), c)
    mix_cfg = photo_noise.NoiseConfig.from_dict(cfg.get("noise", {}))
    noisy, level = [], []
    for x in clean:
        nz, lv, _ = photo_noise.add_noise(x, rng, mix_cfg, gray=False)
        noisy.append(nz)
        level.append(lv)
    sets["mixture_rgb"] = (np.stack(noisy), np.array(level, np.float32), clean)
    return sets


def level_map(noisy: np.ndarray, level: np.ndarray) -> np.ndarray:
    return np.broadcast_to(level[:, None, None, None], noisy.shape[:3] + (1,)).astype(np.float32)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((np.clip(a, 0, 1) - b) ** 2, axis=(1, 2, 3))
    return float(np.mean(10 * np.log10(1.0 / np.maximum(mse, 1e-12))))


def evaluate(model, sets: dict) -> dict:
    out = {}
    for name, (noisy, level, clean) in sets.items():
        pred = []
        for i in range(0, len(noisy), 16):
            pred.append(np.asarray(model({"image": noisy[i:i + 16], "noise_level": level_map(noisy[i:i + 16], level[i:i + 16])},
                                         training=False), np.float32))
        out[name] = round(psnr(np.concatenate(pred), clean), 3)
        out[name + "_noisy"] = round(psnr(noisy, clean), 3)
    return out


def float32_twin(config: dict):
    """The network built under the float32 policy, whatever the global one: validation runs
    the weights in float32, as the exported files do, so under ``mixed_bfloat16`` the best
    step is picked on what ships rather than on bfloat16 activations."""
    import keras

    policy = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("float32")
    try:
        return photo_model.build(config["model"], seed=config["seed"])
    finally:
        keras.mixed_precision.set_global_policy(policy)


def train(config: dict, corpus: pathlib.Path, out: pathlib.Path, log) -> dict:
    import keras
    import tensorflow as tf

    t = config["train"]
    if t.get("mixed_bfloat16"):
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    keras.utils.set_random_seed(config["seed"])
    train_ids, train_images = load_photos(corpus, "train")
    val_ids, val_images = load_photos(corpus, "val")
    log(f"train photos {len(train_ids)} ({sum(i.shape[0] * i.shape[1] for i in train_images) / 1e6:.1f} MP), "
        f"val photos {len(val_ids)}")
    noise_cfg = photo_noise.NoiseConfig.from_dict(config.get("noise", {}))
    sampler = photo_noise.PatchSampler(train_images, t["patch"], config["seed"], noise_cfg)
    val_sets = validation_set(val_images, config, config["seed"] + 1)
    model = photo_model.build(config["model"], seed=config["seed"])
    judge = float32_twin(config)
    ckpt = out / "ckpt"
    ckpt.mkdir(parents=True, exist_ok=True)
    state_path = ckpt / "state.json"
    state = {"step": 0, "train_s": 0.0, "history": [], "best": None, "best_step": None}
    if state_path.exists():
        state = json.loads(state_path.read_text())
    elif config.get("init"):
        init = config["init"]
        photo_weights.load_npz(model, PACKAGE_ROOT / init["weights"], init["sha256"])
    quantized = t.get("quantization_aware", False)
    if quantized:
        # Train the fake-quant twin (photo_qat); its ranges are measured once, on the starting
        # weights, and kept in the state so a resumed run rounds exactly as before.
        if "quant_ranges" not in state:
            if not config.get("init"):
                raise ValueError("train.quantization_aware fine-tunes trained weights: the config needs an init")
            calibration = photo_int8.calibration_crops(config, train_images, t["quant_calibration_crops"])
            state["quant_ranges"] = photo_qat.quant_ranges(model, config, calibration)
            log(f"quantization-aware: ranges of {len(state['quant_ranges'])} int8 tensors measured on "
                f"{len(calibration)} calibration crops")
        model = photo_qat.twin(model, config, state["quant_ranges"])

    def validate():
        judge.set_weights(model.get_weights())
        metrics = evaluate(judge, val_sets)
        if quantized:
            # The twin's figures (what the int8 file will do) lead; the float ones are kept beside.
            metrics = {**evaluate(model, val_sets), **{f"float_{k}": v for k, v in metrics.items()
                                                        if not k.endswith("_noisy")}}
        return metrics

    total = t["steps"]
    # With warmup_steps (a later stage: a fresh Adam on trained weights) the rate ramps up from 0
    # instead of jumping in at full rate, and the cosine covers the steps after the ramp.
    warmup = t.get("warmup_steps", 0)
    schedule = keras.optimizers.schedules.CosineDecay(
        0.0 if warmup else t["learning_rate"], total - warmup, alpha=t.get("lr_floor", 0.01),
        warmup_target=t["learning_rate"] if warmup else None, warmup_steps=warmup)
    optimizer = keras.optimizers.Adam(schedule, clipnorm=t.get("clipnorm"))
    noise2noise = config.get("mode", "clean") == "noise2noise"

    @tf.function(jit_compile=t.get("jit_compile", False), reduce_retracing=True)
    def step_fn(noisy, level, target):
        with tf.GradientTape() as tape:
            pred = model({"image": noisy, "noise_level": level}, training=True)
            loss = tf.reduce_mean(tf.square(tf.cast(pred, tf.float32) - target))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    optimizer.build(model.trainable_variables)
    if state["step"] > 0:
        model.load_weights(ckpt / "last.weights.h5")
        saved = np.load(ckpt / "optimizer.npz")
        for i, var in enumerate(optimizer.variables):
            var.assign(saved[f"v{i}"])
        log(f"resumed at step {state['step']} ({state['train_s'] / 60:.1f} min trained)")
    elif config.get("init"):
        init = config["init"]
        metrics = validate()
        state["init"] = {"weights": init["weights"], "sha256": init["sha256"], **metrics}
        log(f"started from {init['weights']} (sha256 {init['sha256'][:12]}): val PSNR rgb25 "
            f"{metrics['gauss25_rgb']:.2f} gray25 {metrics['gauss25_gray']:.2f} mixture {metrics['mixture_rgb']:.2f}")

    def save(metrics):
        model.save_weights(ckpt / "last.tmp.weights.h5")
        os.replace(ckpt / "last.tmp.weights.h5", ckpt / "last.weights.h5")
        np.savez(ckpt / "optimizer.tmp.npz", **{f"v{i}": np.asarray(v) for i, v in enumerate(optimizer.variables)})
        os.replace(ckpt / "optimizer.tmp.npz", ckpt / "optimizer.npz")
        score = metrics["gauss25_rgb"] + metrics["gauss25_gray"] + metrics["mixture_rgb"]
        if state["best"] is None or score > state["best"]:
            state["best"], state["best_step"] = score, state["step"]
            model.save_weights(ckpt / "best.tmp.weights.h5")
            os.replace(ckpt / "best.tmp.weights.h5", ckpt / "best.weights.h5")
        state_path.with_suffix(".tmp").write_text(json.dumps(state, indent=1))
        os.replace(state_path.with_suffix(".tmp"), state_path)

    budget_s = t["max_minutes"] * 60.0
    last_ckpt = time.time()
    losses = []
    batch_t = 0.0
    while state["step"] < total:
        t0 = time.time()
        noisy, level, clean = sampler.batch(state["step"], t["batch_size"])
        if noise2noise:
            # Second, independent noisy draw of the same crops as the target (no clean image).
            rng2 = np.random.default_rng([config["seed"], state["step"], 2])
            target = np.stack([photo_noise.add_noise(c, rng2, noise_cfg, gray=bool(np.all(c[..., 0] == c[..., 1])))[0]
                               for c in clean])
        else:
            target = clean
        t1 = time.time()
        batch_t += t1 - t0
        loss = float(step_fn(noisy, level_map(noisy, level), target))
        losses.append(loss)
        state["step"] += 1
        state["train_s"] += time.time() - t0
        if time.time() - last_ckpt > t["checkpoint_minutes"] * 60 or state["step"] == total \
                or state["train_s"] > budget_s:
            metrics = validate()
            h = {"step": state["step"], "minutes": round(state["train_s"] / 60, 2),
                 "loss": float(np.mean(losses)), "lr": float(schedule(state["step"])), **metrics}
            state["history"].append(h)
            save(metrics)
            log(f"step {state['step']}: loss {h['loss']:.6f} lr {h['lr']:.2e} val PSNR rgb25 {metrics['gauss25_rgb']:.2f} "
                f"gray25 {metrics['gauss25_gray']:.2f} mixture {metrics['mixture_rgb']:.2f} "
                f"(noisy {metrics['mixture_rgb_noisy']:.2f}); {state['train_s'] / 60:.1f} min, "
                f"data {batch_t / max(len(losses), 1) * 1000:.0f} ms/step")
            losses, batch_t, last_ckpt = [], 0.0, time.time()
            if state["train_s"] > budget_s:
                log(f"stopping at step {state['step']}: max_minutes={t['max_minutes']} used")
                break
    return state


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True, help="checkpoints and log")
    parser.add_argument("--corpus", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, help="where <name>_<kind>/ folders go (export)")
    parser.add_argument("--golden", type=pathlib.Path,
                        help="folder for the <name>_<kind>/ golden input/output pairs the Java tests read")
    parser.add_argument("--export-only", action="store_true")
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args(argv)
    config = json.loads(args.config.read_text())
    args.out.mkdir(parents=True, exist_ok=True)
    log = Log(args.out / "train_log.txt")
    log(f"config {args.config}: {json.dumps(config, sort_keys=True)}")
    log(f"params {photo_model.count_params(config['model'])}, "
        f"{photo_model.macs_per_pixel(config['model']) / 1e3:.1f} kMAC/pixel")
    if not args.export_only:
        state = train(config, args.corpus, args.out, log)
        log(f"trained {state['step']} steps, best step {state['best_step']}")
    if not args.no_export:
        from . import export_photo
        export_photo.export(config, args.corpus, args.out, args.models, log, args.golden)
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
