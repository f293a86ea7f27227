"""Pipeline smoke test: tiny generated corpus -> Java features -> a few training steps ->
float32 and int8 TFLite export -> manifests checked -> both models run by the Java CLI; then
the tiny U-Net and CRN mask models trained, exported and checked on the same examples.

No downloads and no real data: speech is a seeded harmonic, speech-like signal (gliding pitch,
moving formants, syllables and pauses), noise is seeded coloured and hum-like noise, rooms are
:mod:`training.rooms` responses. It checks that the pieces fit together, not that the model
denoises. ``tflite-models/training/smoke.sh`` runs it (CI); by hand, from ``tflite-models/``::

    python -m training.smoke --jar ../cli/target/denoise.jar --work /tmp/voice-smoke
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import time

import numpy as np

from . import audio, manifest, rooms, train_voice, train_voice_mask

RATE = 48000
SEED = 5150
CONFIG = {
    "name": "voice_smoke",
    "description": "pipeline smoke test (training/smoke.py): tiny GRUs, two short epochs",
    "seed": SEED,
    "data": {
        "example_s": 4.0,
        "pause_s": [0.1, 0.5],
        "train": {"count": 12, "seed": 11},
        "val": {"count": 4, "seed": 22},
        "augment": {"babble_p": 0.2, "synthetic_p": 0.2, "second_noise_p": 0.5,
                    "filter_strength": 0.375, "speech_filter_p": 0.5},
    },
    "model": {"input_dense": 8, "vad_gru": 8, "noise_gru": 8, "denoise_gru": 16,
              "gru_activation": "tanh", "bounded_skip": True},
    "loss": {"gain_quartic_weight": 10.0, "vad_weight": 0.5},
    "train": {"sequence_frames": 100, "batch_size": 8, "epochs": 2, "learning_rate": 0.001,
              "clipnorm": 1.0, "max_minutes": 3, "jit_compile": False},
    "export": {"calibration_sequences": 4, "calibration_frames_per_sequence": 25, "verify_sequences": 2},
}


# The spectral-mask models (issue 9) on the same examples: tiny U-Net and CRN, a few CPU
# seconds of training each, float32 + int8 export, manifests checked. The Java runtime for
# them lives in the CLI's neural path once it knows spectral-mask manifests.
MASK_TRAIN = {"sequence_frames": 100, "batch_size": 4, "learning_rate": 0.001, "clipnorm": 1.0,
              "cpu_budget_minutes": 0.1, "eval_every_steps": 5, "normalisation_examples": 12}
MASK_EXPORT = {"calibration_examples": 2, "calibration_frames_span": 50, "calibration_frames_per_example": 10,
               "verify_examples": 1, "verify_frames": 50}
MASK_CONFIGS = [
    {"name": "voice_unet_smoke", "architecture": "unet", "description": "smoke: tiny causal U-Net",
     "model": {"encoder": [2, 4], "time_kernel": 2, "freq_kernel": 3, "bottleneck_dilations": [2],
               "decoder_time_kernel": 1}},
    {"name": "voice_crn_smoke", "architecture": "crn", "description": "smoke: tiny CRN",
     "model": {"encoder": [2, 4], "time_kernel": 1, "freq_kernel": 3, "lstm": 8}},
]


def speech_like(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """Syllables of 0.12-0.32 s (harmonics of a gliding 90-260 Hz pitch through three
    formant resonances) separated by 0.04-0.2 s pauses; peak 0.5."""
    from scipy import signal

    n = int(seconds * RATE)
    out = np.zeros(n)
    pos = 0
    while pos < n:
        length = int(RATE * rng.uniform(0.12, 0.32))
        t = np.arange(min(length, n - pos)) / RATE
        f0 = np.linspace(rng.uniform(90, 260), rng.uniform(90, 260), t.size)
        phase = 2 * np.pi * np.cumsum(f0) / RATE
        source = sum(np.sin(k * phase) / k for k in range(1, 40))
        voiced = np.zeros_like(source)
        for centre in (rng.uniform(300, 900), rng.uniform(900, 2400), rng.uniform(2300, 3500)):
            b, a = signal.iirpeak(centre, 4.0, fs=RATE)
            voiced += signal.lfilter(b, a, source)
        out[pos:pos + t.size] = voiced * np.sin(np.pi * t / (t[-1] + 1e-9)) * rng.uniform(0.5, 1.0)
        pos += t.size + int(RATE * rng.uniform(0.04, 0.2))
    return (0.5 * out / (np.max(np.abs(out)) + 1e-12)).astype(np.float32)


def noise_like(rng: np.random.Generator, seconds: float, kind: int) -> np.ndarray:
    """Coloured noise (one-pole low-pass), or mains hum with harmonics over faint hiss."""
    n = int(seconds * RATE)
    white = rng.standard_normal(n)
    if kind % 3 == 2:
        t = np.arange(n) / RATE
        f = rng.choice([50.0, 60.0])
        x = sum(np.sin(2 * np.pi * k * f * t + rng.uniform(0, 6.3)) / k for k in range(1, 8)) + 0.05 * white
    else:
        from scipy import signal

        x = signal.lfilter([1 - 0.3 * kind], [1, -0.3 * kind], white)
    return (0.3 * x / np.max(np.abs(x))).astype(np.float32)


def build_corpus(root: pathlib.Path) -> None:
    """The layout ``training.corpus build`` writes, with generated audio: ``speech/``,
    ``noise/``, ``ir/``, ``splits/*_{train,val,test}.txt``, ``manifest_speech.csv``."""
    import soundfile

    rng = np.random.default_rng(SEED)
    ids = {k: {s: [] for s in ("train", "val", "test")} for k in ("speech", "noise", "ir")}
    rows = ["clip_id,bandwidth_hz"]
    for split, speakers in (("train", 4), ("val", 2), ("test", 1)):
        for s in range(speakers):
            for i in range(3):
                clip = f"speech/synthetic/{split}{s}_{i}.wav"
                audio.write_wav16(root / clip, speech_like(rng, rng.uniform(1.0, 3.0)))
                ids["speech"][split].append(clip)
                rows.append(f"{clip},{RATE / 2}")
        for j in range(3):
            clip = f"noise/synthetic/{split}{j}.wav"
            audio.write_wav16(root / clip, noise_like(rng, 6.0, j))
            ids["noise"][split].append(clip)
        for m in range(2):
            clip = f"ir/synthetic/{split}{m}.wav"
            (root / clip).parent.mkdir(parents=True, exist_ok=True)
            soundfile.write(root / clip, rooms.synthetic_ir(rng, RATE)[0], RATE, subtype="FLOAT")
            ids["ir"][split].append(clip)
    (root / "splits").mkdir(parents=True, exist_ok=True)
    for kind, splits in ids.items():
        for split, clips in splits.items():
            (root / "splits" / f"{kind}_{split}.txt").write_text("\n".join(clips) + "\n")
    (root / "manifest_speech.csv").write_text("\n".join(rows) + "\n")


def run_java(jar: pathlib.Path, model: pathlib.Path, noisy: pathlib.Path, out: pathlib.Path) -> np.ndarray:
    import soundfile

    cmd = ["java", "-jar", str(jar), "audio", "--quiet", "--force", "--method", "neural",
           "--model", str(model), str(noisy), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"smoke: {' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()}")
    data, rate = soundfile.read(out, dtype="float32")
    source, source_rate = soundfile.read(noisy, dtype="float32")
    if rate != source_rate or data.shape != source.shape or not np.all(np.isfinite(data)):
        raise SystemExit(f"smoke: {out}: {rate} Hz, shape {data.shape}, finite {np.all(np.isfinite(data))}; "
                         f"input {source_rate} Hz, shape {source.shape}")
    if np.max(np.abs(data)) == 0:
        raise SystemExit(f"smoke: {out} is silent")
    return data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jar", type=pathlib.Path, required=True, help="cli/target/denoise.jar")
    parser.add_argument("--work", type=pathlib.Path, required=True, help="empty or absent scratch folder")
    args = parser.parse_args(argv)
    if not args.jar.is_file():
        raise SystemExit(f"smoke: {args.jar} does not exist (build it: mvn -q -B package -DskipTests)")
    t0 = time.time()
    corpus, work = args.work / "corpus", args.work
    build_corpus(corpus)
    config_path = work / "voice_smoke.json"
    config_path.write_text(json.dumps(CONFIG, indent=1))
    models = work / "models"
    print(f"smoke: corpus generated in {time.time() - t0:.0f} s", flush=True)
    train_voice.main(["--config", str(config_path), "--out", str(work / "run"), "--corpus", str(corpus),
                      "--scratch", str(work / "scratch"), "--jar", str(args.jar), "--models", str(models)])
    print(f"smoke: trained and exported at {time.time() - t0:.0f} s", flush=True)
    for mask_config in MASK_CONFIGS:
        config = {**mask_config, "seed": SEED, "data": CONFIG["data"], "train": MASK_TRAIN, "export": MASK_EXPORT}
        path = work / f"{config['name']}.json"
        path.write_text(json.dumps(config, indent=1))
        train_voice_mask.main(["--config", str(path), "--out", str(work / config["name"]), "--corpus", str(corpus),
                               "--scratch", str(work / "mask_scratch"), "--models", str(models)])
        for kind in ("float32", "int8"):
            m = manifest.check_folder(models / f"{config['name']}_{kind}")
            if m["kind"] != manifest.MASK_KIND or m["check_vs_keras"]["keras_stream_vs_sequence_max"] > 1e-4:
                raise SystemExit(f"smoke: {config['name']}_{kind}: {m['kind']}, stream vs sequence "
                                 f"{m['check_vs_keras']['keras_stream_vs_sequence_max']}")
        print(f"smoke: {config['name']} trained, exported and checked at {time.time() - t0:.0f} s", flush=True)
    from scipy import signal

    import soundfile

    checked = {kind: manifest.check_folder(models / f"{CONFIG['name']}_{kind}") for kind in ("float32", "int8")}
    rng = np.random.default_rng(SEED + 1)
    clean = speech_like(rng, 2.0)
    noisy48 = clean + noise_like(rng, 2.0, 0) * 0.5
    for rate in (48000, 16000):
        path = work / f"noisy_{rate}.wav"
        x = noisy48 if rate == RATE else signal.resample_poly(noisy48, rate, RATE).astype(np.float32)
        soundfile.write(path, x, rate, subtype="PCM_16")
        for kind in ("float32", "int8"):
            folder, m = models / f"{CONFIG['name']}_{kind}", checked[kind]
            run_java(args.jar, folder / "model.tflite", path, work / f"out_{kind}_{rate}.wav")
            print(f"smoke: {kind} ({m['bytes']} bytes, sha256 {m['sha256'][:12]}) ran in Java at {rate} Hz",
                  flush=True)
    print(f"smoke: ok in {time.time() - t0:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
