#!/usr/bin/env python3
"""Builds COMPARISON.md (issue 9's one table) from the raw results tools/compare-seeds writes.

Inputs in --results: image_classic.csv (tools/image-eval), image_neural.csv
(tools/photo-model-eval on the same noisy images), voice.json (training/eval_voice.py); each is
optional, and a part whose file is missing is left out of the table with a line saying so.
--models is the folder of bundled voice models (one folder with manifest.json per model).

Voice models are judged against the deployment budget of the issue: at most 0.1 GMAC/s
(MACs per 10 ms frame times 100), at most 20 ms algorithmic latency, and real time on one core
of this machine (microseconds per 10 ms frame from `denoise bench` below 10 000). Among the
models inside the budget the winner has the highest mean PESQ-WB (STOI breaks ties).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys

import numpy as np

MAX_GMACS = 0.1
MAX_LATENCY_MS = 20.0
FRAME_US = 10_000.0
IMAGE_METHODS = ["noisy", "nlm", "bm3d", "wavelet", "ref-bm3d", "neural-f32", "neural-int8"]
# Ops whose multiply-accumulates are counted; element-wise ops (gates, masks) are not.
MAC_OPS = ("FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "BATCH_MATMUL")


def tflite_cost(path: str) -> tuple[int, int]:
    """(parameters, MACs per invocation) of a TFLite graph, for the ops in MAC_OPS: parameters
    are the elements of their constant inputs (weights and fused biases: 87 503 for the
    RNNoise-2018-sized model, its published count), MACs come from their tensor shapes.
    Element-wise constants (feature scales, clip bounds, the 1 in 1 - z) are not parameters."""
    import tensorflow as tf  # noqa: PLC0415 - heavy, only for the voice part
    it = tf.lite.Interpreter(model_path=path,
                             experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    it.allocate_tensors()
    shapes = {d["index"]: [int(v) for v in d["shape"]] for d in it.get_tensor_details()}
    ops = it._get_ops_details()  # noqa: SLF001 - the only public view of the graph's ops
    produced = {int(i) for o in ops for i in o["outputs"]}
    graph_inputs = {d["index"] for d in it.get_input_details()}
    weights = {int(i) for o in ops if o["op_name"] in MAC_OPS for i in o["inputs"]
               if i >= 0 and int(i) not in produced and int(i) not in graph_inputs}
    params = sum(int(np.prod(shapes[i])) for i in weights)
    macs = 0
    for o in ops:
        name = o["op_name"]
        if name not in MAC_OPS:
            continue
        ins = [int(i) for i in o["inputs"]]
        out = shapes[int(o["outputs"][0])]
        if name == "FULLY_CONNECTED":
            w = shapes[ins[1]]  # [units, depth]
            macs += int(np.prod(out)) * w[1]
        elif name == "CONV_2D":
            w = shapes[ins[1]]  # [out, kh, kw, in]
            macs += int(np.prod(out)) * w[1] * w[2] * w[3]
        elif name == "DEPTHWISE_CONV_2D":
            w = shapes[ins[1]]  # [1, kh, kw, out]
            macs += int(np.prod(out)) * w[1] * w[2]
        elif name == "TRANSPOSE_CONV":
            w = shapes[ins[1]]  # [out, kh, kw, in]; every input sample scatters a kernel
            macs += int(np.prod(shapes[ins[2]])) * w[0] * w[1] * w[2]
        else:  # BATCH_MATMUL [..., m, k] x [..., k, n]
            a = shapes[ins[0]]
            macs += int(np.prod(out)) * a[-1]
    return params, macs


def read_rows(path: str) -> tuple[list[str], list[dict]]:
    """The '#' header lines and the CSV rows of an image-eval style file (its trailing
    markdown summary is skipped)."""
    header, lines = [], []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                header.append(line[1:].strip())
            elif "," in line and not line.startswith("|"):
                lines.append(line)
    return header, list(csv.DictReader(lines))


def merge_image(classic: list[dict], neural: list[dict]) -> dict:
    """(set, sigma) -> method -> list of (psnr, ssim), one entry per image; the two files must
    have scored the same noisy images (equal noisy PSNR per image)."""
    by_key = {(r["set"], r["image"], float(r["sigma"])): r for r in classic}
    merged: dict = {}
    for rows, origin in ((classic, None), (neural, by_key)):
        for r in rows:
            key = (r["set"], r["image"], float(r["sigma"]))
            if origin is not None:
                twin = origin.get(key)
                if twin is None:
                    raise ValueError("image_neural.csv has %s %s sigma %g, image_classic.csv does not" % key)
                if abs(float(twin["noisy_psnr"]) - float(r["noisy_psnr"])) > 5e-4:
                    raise ValueError("%s %s sigma %g: noisy PSNR %s vs %s, not the same noisy image"
                                     % (*key, r["noisy_psnr"], twin["noisy_psnr"]))
            cell = merged.setdefault((key[0], key[2]), {})
            for m in IMAGE_METHODS:
                if m + "_psnr" in r and (origin is None or m.startswith("neural")):
                    cell.setdefault(m, []).append((float(r[m + "_psnr"]), float(r[m + "_ssim"])))
    return merged


def image_markdown(merged: dict) -> list[str]:
    methods = [m for m in IMAGE_METHODS if any(m in c for c in merged.values())]
    out = ["| set | sigma | images | " + " | ".join(methods) + " |",
           "|---|---|---|" + "---|" * len(methods)]
    for (set_name, sigma) in sorted(merged):
        cell = merged[(set_name, sigma)]
        counts = {len(v) for v in cell.values()}
        if len(counts) != 1:
            raise ValueError("%s sigma %g: methods scored different numbers of images %s" % (set_name, sigma, counts))
        best = max(sum(p for p, _ in v) / len(v) for m, v in cell.items() if m != "noisy")
        cells = []
        for m in methods:
            v = cell.get(m)
            if not v:
                cells.append("–")
                continue
            psnr = sum(p for p, _ in v) / len(v)
            ssim = sum(s for _, s in v) / len(v)
            text = "%.2f / %.4f" % (psnr, ssim)
            cells.append("**%s**" % text if m != "noisy" and abs(psnr - best) < 5e-3 else text)
        out.append("| %s | %g | %d | %s |" % (set_name, sigma, counts.pop(), " | ".join(cells)))
    out.append("")
    out.append("Cells: mean PSNR (dB) / SSIM over the images; bold: best PSNR in the row (noisy aside).")
    return out


# Voice evaluation rows that are bundled models: row -> (model folder, bench row of `denoise bench`).
VOICE_MODELS = {
    "ours-float32": ("voice_rnnoise_small_float32", "neural-float32"),
    "ours-int8": ("voice_rnnoise_small_int8", "neural-int8"),
    "unet-float32": ("voice_unet_small_float32", "neural-unet"),
    "unet-int8": ("voice_unet_small_int8", "neural-unet-int8"),
    "crn-float32": ("voice_crn_small_float32", "neural-crn"),
    "crn-int8": ("voice_crn_small_int8", "neural-crn-int8"),
    "crn-complex-float32": ("voice_crn_complex_small_float32", "neural-crn-complex"),
    "crn-complex-int8": ("voice_crn_complex_small_int8", "neural-crn-complex-int8"),
}
# The RNNoise-style model retrained under the U-Net's and CRN's budget: evaluated from its files
# under --runs (not bundled, so not timed by `denoise bench` and not a candidate to ship).
BUDGET_MODELS = {
    "rnnoise-budget-float32": "voice_rnnoise_budget_float32",
    "rnnoise-budget-int8": "voice_rnnoise_budget_int8",
}
# Peers timed outside the JVM (eval_voice's "cost" entry), and what is known of their size.
PEERS = {"rnnoise": "RNNoise 2018, C library", "deepfilternet3": "DeepFilterNet3, libDF"}


def model_cost(models: str, folder: str) -> dict | None:
    """Parameters, MACs per frame, latency and bytes of one bundled model, or None when absent.
    The figures come from the float32 twin's graph (int8 has the same structure)."""
    manifest_path = os.path.join(models, folder, "manifest.json")
    if not os.path.exists(manifest_path):
        return None
    manifest = json.load(open(manifest_path))
    twin = os.path.join(models, folder.replace("_int8", "_float32"), "model.tflite")
    params, macs = tflite_cost(twin if os.path.exists(twin) else os.path.join(models, folder, "model.tflite"))
    stated = {k: manifest.get(k) for k in ("params", "macs_per_frame")}
    return {"params": params, "macs_per_frame": macs, "gmacs": macs * 100 / 1e9, "stated": stated,
            "latency_ms": float(manifest.get("algorithmic_latency_ms", 20.0)),
            "kind": ("spectral mask (%s)" % manifest.get("mask", "magnitude")
                     if manifest.get("kind") == "spectral_mask" else "band gain"), "bytes": int(manifest["bytes"]),
            "sha256": manifest["sha256"][:12]}


def voice_markdown(voice: dict, models: str, shipped: str | None, runs: str | None = None) -> list[str]:
    table, meta = voice["table"], voice["meta"]
    bench = {row["method"]: row for row in voice.get("cost", {}).get("java", [])}
    out = ["Run: `%s` on %s (%d clips, %.0f s of speech, median %.1f s per clip; metrics at 16 kHz)."
           % (meta.get("command", "?"), meta.get("date", "?"), meta.get("total_clips", 0),
              meta.get("speech_seconds", 0.0), meta.get("median_s", 0.0)), ""]
    snrs = [k for k in next(iter(table.values())) if k != "mean"]
    for metric, name, fmt in (("pesq", "PESQ-WB", "%.2f"), ("stoi", "STOI", "%.3f"), ("si_sdr", "SI-SDR (dB)", "%.2f")):
        out += ["### " + name, "", "| method | " + " | ".join("%s dB" % s for s in snrs) + " | mean |",
                "|---|" + "---|" * (len(snrs) + 1)]
        best = max(v["mean"][metric] for k, v in table.items() if k != "noisy")
        for method, rows in table.items():
            cells = [fmt % rows[s][metric] for s in snrs]
            mean = fmt % rows["mean"][metric]
            out.append("| %s | %s | %s |" % (method, " | ".join(cells),
                                             "**%s**" % mean if method != "noisy" and rows["mean"][metric] == best else mean))
        out.append("")
    out += ["### Cost and the deployment budget", "",
            "Budget: ≤ %.1f GMAC/s, ≤ %.0f ms algorithmic latency, real time on one core (µs per 10 ms frame < %d, "
            "whole path: features or STFT, model, synthesis; `denoise bench`, one thread)." % (MAX_GMACS, MAX_LATENCY_MS, FRAME_US),
            "Parameters and MACs are counted on each float32 graph (weights of the matrix and"
            " convolution ops; their multiply-accumulates), a manifest's own figure shown where it differs.",
            "", "| model | kind | params | MACs/frame | GMAC/s | latency ms | µs/frame | bytes | sha256 | PESQ | STOI | within budget |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    candidates = []
    for method, (folder, bench_row) in VOICE_MODELS.items():
        if method not in table:
            continue
        cost = model_cost(models, folder)
        if cost is None:
            raise ValueError("evaluation row %s has no bundled model %s under %s" % (method, folder, models))
        us = bench.get(bench_row, {}).get("us_per_frame")
        fits = cost["gmacs"] <= MAX_GMACS and cost["latency_ms"] <= MAX_LATENCY_MS and us is not None and us < FRAME_US
        mean = table[method]["mean"]
        def counted(key):
            stated = cost["stated"].get(key)
            note = " (manifest: %d)" % stated if stated is not None and int(stated) != cost[key] else ""
            return "%d%s" % (cost[key], note)
        out.append("| %s (`%s`) | %s | %s | %s | %.4f | %.0f | %s | %d | %s | %.2f | %.3f | %s |" % (
            method, folder, cost["kind"], counted("params"), counted("macs_per_frame"), cost["gmacs"], cost["latency_ms"],
            "%.0f" % us if us is not None else "not timed", cost["bytes"], cost["sha256"], mean["pesq"], mean["stoi"],
            "yes" if fits else "no"))
        if fits:
            candidates.append((mean["pesq"], mean["stoi"], method, folder))
    for method, folder in BUDGET_MODELS.items():
        if method not in table or runs is None:
            continue
        cost = model_cost(runs, folder)
        if cost is None:
            raise ValueError("evaluation row %s has no model %s under %s" % (method, folder, runs))
        mean = table[method]["mean"]
        out.append("| %s (`training/runs/%s`) | %s | %d | %d | %.4f | %.0f | as ours-%s | %d | %s | %.2f | %.3f | "
                   "table only: the equal-budget retrain |" % (
                       method, folder, cost["kind"], cost["params"], cost["macs_per_frame"], cost["gmacs"],
                       cost["latency_ms"], folder.rsplit("_", 1)[1], cost["bytes"], cost["sha256"], mean["pesq"],
                       mean["stoi"]))
    for peer, note in PEERS.items():
        if peer not in table:
            continue
        mean = table[peer]["mean"]
        timed = voice.get("cost", {}).get(peer)
        lag = meta.get("lags", {}).get(peer)
        out.append("| %s | peer: %s | – | – | – | %s | %s | – | – | %.2f | %.3f | – |" % (
            peer, note, "%.0f (output lag)" % (lag / 48.0) if lag is not None else "–",
            "%.0f" % timed["us_per_frame"] if timed else "–", mean["pesq"], mean["stoi"]))
    out.append("")
    if candidates:
        pesq, stoi, method, folder = max(candidates)
        out.append("**Winner within budget: %s** (`%s`, mean PESQ-WB %.2f, STOI %.3f)." % (method, folder, pesq, stoi))
        rest = sorted(candidates, reverse=True)[1:]
        if rest:
            out.append("Behind it, within budget: " + ", ".join("%s %.2f / %.3f" % (m, p, s) for p, s, m, _ in rest)
                       + " (PESQ / STOI).")
        over = [m for m in VOICE_MODELS if m in table and m not in {c[2] for c in candidates}]
        out.append("Over budget or not real time: %s." % (", ".join(over) if over else "none"))
        if shipped is not None:
            out.append("The app and the CLI default to `%s`%s." % (shipped, "" if shipped == folder.rsplit("_", 1)[0]
                                                                 else ": **not the winner**"))
    else:
        out.append("No bundled model fits the budget.")
    return out


def machine() -> str:
    """When and where this table was made: UTC time, cores, CPU model, commit."""
    import datetime  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    cpu = "unknown CPU"
    if os.path.exists("/proc/cpuinfo"):
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        commit = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "rev-parse", "--short",
                                 "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown commit"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    return "%s, %d cores (%s), commit %s" % (now, os.cpu_count() or 0, cpu, commit)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--shipped", help="model the app ships by default, e.g. voice_rnnoise_small")
    ap.add_argument("--runs", help="training/runs, for the equal-budget retrain's files")
    args = ap.parse_args(argv)
    lines = ["# The seed systems on one bench", "",
             "Made by `tools/compare-seeds` (%s); raw results beside this file, each part stamped with the"
             " time, machine and commit it ran at." % machine(), ""]
    classic_path = os.path.join(args.results, "image_classic.csv")
    neural_path = os.path.join(args.results, "image_neural.csv")
    lines += ["## Photos: BSD68 (grey) and CBSD68 (colour), seeded Gaussian noise", ""]
    if os.path.exists(classic_path) and os.path.exists(neural_path):
        head_c, classic = read_rows(classic_path)
        head_n, neural = read_rows(neural_path)
        lines += ["Runs: " + "; ".join("`%s` (%s)" % (h[0], ", ".join(h[1:])) for h in (head_c, head_n) if h), ""]
        lines += image_markdown(merge_image(classic, neural))
    else:
        lines.append("(image part not run: no image_classic.csv / image_neural.csv)")
    lines.append("")
    voice_path = os.path.join(args.results, "voice.json")
    lines += ["## Voice: held-out test speech in held-out test noise", ""]
    if os.path.exists(voice_path):
        lines += voice_markdown(json.load(open(voice_path)), args.models, args.shipped, args.runs)
    else:
        lines.append("(voice part not run: no voice.json)")
    lines.append("")
    tmp = args.out + ".part"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
