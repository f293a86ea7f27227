"""Issue 9's equal-budget comparison on validation examples, before the Java runtime knows
the mask models: the U-Net and CRN run in Python's TFLite interpreter (one frame per invoke,
state fed back, the mask applied to the noisy STFT and overlap-added with
:mod:`training.voice_stft`, i.e. the Java framing), the RNNoise-style gain models through
``java -jar denoise.jar audio --method neural --model FILE`` as shipped.

From ``tflite-models/`` with the evaluation environment (``requirements-eval.txt`` plus
TensorFlow)::

    nice -n 5 python -m training.compare_voice_budget --corpus /work/corpus \\
        --config training/configs/voice_unet_small.json --jar ../cli/target/denoise.jar \\
        --mask src/main/resources/models/voice/voice_unet_small_float32 ... \\
        --gain /work/vtrain-runs/rnnoise_models/voice_rnnoise_budget_float32 ... \\
        --examples 20 --work /tmp/budget-compare --out training/runs/voice_budget_val.md

Examples: the first ``--examples`` validation examples of the config's ``data`` block (the
examples every model was validated on while training: a check of the training outcome,
not the held-out test evaluation, which is ``eval_voice.py``). Metrics as ``eval_voice``
(PESQ-WB, STOI, SI-SDR at 16 kHz), each output aligned to the target by the delay
``eval_voice.estimate_lag`` finds.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time

import numpy as np

from . import eval_voice, voice_stft


def val_examples(config: dict, corpus: pathlib.Path, count: int) -> list:
    from .mixing import MixConfig
    from .voice_dataset import ExampleBuilder

    d = config["data"]
    builder = ExampleBuilder(corpus, "val", d["val"]["seed"], d["example_s"], tuple(d["pause_s"]), MixConfig())
    return [builder.example(i) for i in range(count)]


def run_mask(folder: pathlib.Path, noisy: np.ndarray) -> tuple[np.ndarray, float]:
    """The mask model's output waveform (delayed by the STFT's 480 samples, as StftStage) and
    the interpreter's microseconds per frame."""
    from .train_voice_mask import TfliteMaskStream

    manifest = json.loads((folder / "manifest.json").read_text())
    sizes = {s["input"]: int(np.prod(next(t["shape"] for t in manifest["inputs"] if t["name"] == s["input"])))
             for s in manifest["states"]}
    runner = TfliteMaskStream((folder / "model.tflite").read_bytes())
    spectrum = voice_stft.forward(noisy)
    t0 = time.perf_counter()
    mask = runner.run(voice_stft.log_power(spectrum).astype(np.float32), sizes)
    us = (time.perf_counter() - t0) / spectrum.shape[0] * 1e6
    out = voice_stft.inverse(mask * spectrum)
    return np.concatenate([out, np.zeros(noisy.size - out.size)]).astype(np.float32), us


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=pathlib.Path, required=True)
    parser.add_argument("--config", type=pathlib.Path, required=True, help="a config whose data block names the val examples")
    parser.add_argument("--jar", type=pathlib.Path, required=True)
    parser.add_argument("--mask", type=pathlib.Path, nargs="*", default=[], help="mask model folders")
    parser.add_argument("--gain", type=pathlib.Path, nargs="*", default=[],
                        help="gain model folders (run by the CLI), e.g. the shipped and the budget RNNoise")
    parser.add_argument("--strength", type=float, nargs="+", default=None, metavar="DB",
                        help="run each gain model at each of these --strength values (rows NAME@DB); "
                             "default: the CLI's own default only")
    parser.add_argument("--examples", type=int, default=20)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True, help="markdown (JSON beside it)")
    args = parser.parse_args(argv)
    config = json.loads(args.config.read_text())
    args.work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    examples = val_examples(config, args.corpus, args.examples)
    noisy = [e.mixture for e in examples]
    outputs = {"noisy": noisy}
    info = {"noisy": {}}
    for folder in args.mask:
        runs = [run_mask(folder, x) for x in noisy]
        outputs[folder.name] = [r[0] for r in runs]
        info[folder.name] = {"python_tflite_us_per_frame": float(np.mean([r[1] for r in runs]))}
        print(f"{folder.name}: {time.time() - t0:.0f} s", flush=True)
    path = args.work / "noisy.wav"
    eval_voice.write_channels(path, noisy)
    folders = {}
    for folder in args.gain:
        for strength in args.strength or [None]:
            name = folder.name if strength is None else f"{folder.name}@{strength:g}"
            out = args.work / f"{name}.wav"
            eval_voice.run_cli(args.jar, ["--method", "neural", "--model", str(folder / "model.tflite")]
                               + ([] if strength is None else ["--strength", f"{strength:g}"]), path, out)
            outputs[name] = eval_voice.read_channels(out, [x.size for x in noisy])
            info[name] = {} if strength is None else {"strength_db": strength}
            folders[name] = folder
            print(f"{name}: {time.time() - t0:.0f} s", flush=True)
    folders.update({folder.name: folder for folder in args.mask})
    rows = {}
    for name, outs in outputs.items():
        lag = eval_voice.estimate_lag(noisy, outs) if name != "noisy" else 0
        s = [eval_voice.scores(e.target, eval_voice.shift(y, lag)) for e, y in zip(examples, outs)]
        manifest = json.loads((folders[name] / "manifest.json").read_text()) if name in folders else {}
        rows[name] = {
            "lag": lag, **info[name],
            **{k: float(np.nanmean([v[k] for v in s])) for k in ("pesq", "stoi", "si_sdr")},
            "params": manifest.get("params"), "macs_per_frame": manifest.get("macs_per_frame"),
            "bytes": manifest.get("bytes"),
            "cpu_minutes": (manifest.get("budget") or {}).get("cpu_minutes_used", manifest.get("train_cpu_minutes")),
            "val_loss": manifest.get("val_loss"),
            "per_example": {k: [float(v[k]) for v in s] for k in ("pesq", "stoi", "si_sdr")},
        }
        print(f"{name}: {rows[name]}", flush=True)
    lines = [f"# Voice models on {args.examples} validation examples ({time.strftime('%Y-%m-%d')})", "",
             f"`python -m training.compare_voice_budget {' '.join(sys.argv[1:] if argv is None else argv)}`", "",
             "Validation examples (10 s, val speech in val noise, SNR -5...20 dB, reverb as in training), "
             "not the held-out test set. Mask models in Python's TFLite interpreter with the Java STFT "
             "framing; gain models through the Java CLI. Val loss is each trainer's own loss "
             "(not comparable between the gain and the mask models).", "",
             "| model | PESQ-WB | STOI | SI-SDR dB | params | MACs/frame | bytes | CPU-min trained | val loss (own) |",
             "|---|---|---|---|---|---|---|---|---|"]
    fmt = lambda v, f: "" if v is None else format(v, f)
    for name, r in rows.items():
        lines.append(f"| {name} | {r['pesq']:.3f} | {r['stoi']:.3f} | {r['si_sdr']:.2f} | {fmt(r['params'], 'd')} | "
                     f"{fmt(r['macs_per_frame'], 'd')} | {fmt(r['bytes'], 'd')} | {fmt(r['cpu_minutes'], '')} | "
                     f"{fmt(r['val_loss'], '.5f')} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    args.out.with_suffix(".json").write_text(json.dumps(
        {"rows": rows, "examples": [{k: e.metadata.get(k) for k in ("index", "base_seed", "snr_db", "noise_id")}
                                    for e in examples]}, indent=1))
    print(args.out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
