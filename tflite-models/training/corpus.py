"""Build the speech/noise/reverb corpus from pinned Debian packages.

    python -m training.corpus build --out /work/corpus [--report-dir training/data]

(run from ``tflite-models/``). Layout under ``--out``::

    debs/                       cached .deb files (verified by pinned SHA256)
    extract/<package>/          only the archive members the corpus needs
    speech/<package>/...wav     mono 48 kHz 16-bit clean speech (every decoded clip)
    noise/<package>/...wav      mono 48 kHz 16-bit noise
    ir/...wav                   mono 48 kHz float impulse responses (measured + synthetic)
    manifest_{speech,noise,ir}.csv
    splits/{speech,noise,ir}_{train,val,test}.txt   clip ids relative to --out
    screening_report.txt, summary.json

Every step is skipped when its output is already there (a .deb with the pinned hash, an
extraction stamp, a decoded WAV), so a rerun only redoes screening, splits and reports.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import io
import json
import pathlib
import sys
import time
import zipfile
from collections import defaultdict
from typing import Iterator, Optional

import numpy as np
import soundfile as sf

from . import audio, debian, rooms, screening, splits
from .sources import SOURCES, Source, packages

SPLIT_SEED = 20261121
IR_SEED = 4801
SYNTHETIC_IR_COUNT = 400
SPEECH_FRACTIONS = {"train": 0.8, "val": 0.1, "test": 0.1}
NOISE_VAL_FRACTION = 0.15
# Whole packages never seen in training (test), and the only hum/hiss source (train).
NOISE_FIXED_SPLITS = {
    "supertuxkart-data": "test",
    "lugaru-data": "test",
    "supertux-data": "test",
    "etw-data": "test",
    "btanks-data": "test",
    "ardentryst": "test",
    "sonic-pi-samples": "train",
}
MIN_SOURCE_RATE_HZ = 16000

MANIFEST_FIELDS = ("clip_id", "kind", "package", "version", "original_path", "speaker", "group",
                   "language", "source_rate_hz", "duration_s", "bandwidth_hz", "speech_dbfs",
                   "floor_dbfs", "snr_db", "active_s", "clipped_fraction", "kept", "drop_reason",
                   "licence", "original_sha256")


@dataclasses.dataclass
class Clip:
    """One manifest row."""

    clip_id: str
    kind: str
    package: str
    version: str
    original_path: str
    speaker: str
    group: str
    language: str
    source_rate_hz: int
    duration_s: float
    bandwidth_hz: float
    speech_dbfs: Optional[float]
    floor_dbfs: Optional[float]
    snr_db: Optional[float]
    active_s: Optional[float]
    clipped_fraction: Optional[float]
    kept: bool
    drop_reason: str
    licence: str
    original_sha256: str


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _source_files(source: Source, root: pathlib.Path) -> Iterator[tuple[str, bytes]]:
    """(path inside the package or zip, file bytes) for every file the source selects."""
    if source.zip_member is not None:
        with zipfile.ZipFile(root / source.zip_member) as archive:
            for name in sorted(archive.namelist()):
                if source.matches(name):
                    yield name, archive.read(name)
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if source.matches(rel):
            yield rel, path.read_bytes()


def _clip_id(kind: str, package: str, rel: str) -> str:
    rel = rel.removeprefix("usr/share/")
    return f"{kind}/{package}/{rel.rsplit('.', 1)[0]}.wav"


def _decode_source(source: Source, root: pathlib.Path, out: pathlib.Path,
                   thresholds: screening.Thresholds, seen: set[str]) -> list[Clip]:
    copyright_file = debian.CopyrightFile.of(root, source.package.name)
    clips = []
    for rel, data in _source_files(source, root):
        info = source.describe(rel)
        if info is None:
            continue
        original_path = f"{source.zip_member}:{rel}" if source.zip_member else "/" + rel
        digest = hashlib.sha256(data).hexdigest()
        clip_id = _clip_id(source.kind, source.package.name, rel)
        wav_path = out / clip_id
        source_rate = sf.info(io.BytesIO(data)).samplerate
        if wav_path.exists():
            samples = audio.read_wav(wav_path)
        else:
            decoded, rate = audio.decode(data)
            samples = audio.to_rate(decoded, rate)
            if source.kind == "ir":
                wav_path.parent.mkdir(parents=True, exist_ok=True)
                sf.write(str(wav_path), samples, audio.SAMPLE_RATE_HZ, subtype="FLOAT")
            else:
                audio.write_wav16(wav_path, samples)
            samples = audio.read_wav(wav_path)
        duration = samples.size / audio.SAMPLE_RATE_HZ
        stats = dict(speech_dbfs=None, floor_dbfs=None, snr_db=None, active_s=None,
                     clipped_fraction=None)
        kept, reason = True, ""
        if digest in seen:
            kept, reason = False, "duplicate"
        elif source_rate < MIN_SOURCE_RATE_HZ:
            kept, reason = False, f"rate<{MIN_SOURCE_RATE_HZ}Hz"
        if source.kind == "speech":
            verdict = screening.screen(samples, audio.SAMPLE_RATE_HZ, thresholds)
            stats = dict(speech_dbfs=verdict.speech_dbfs, floor_dbfs=verdict.floor_dbfs,
                         snr_db=verdict.snr_db, active_s=verdict.active_s,
                         clipped_fraction=verdict.clipped_fraction)
            if kept and not verdict.kept:
                kept, reason = False, verdict.reason
        seen.add(digest)
        clips.append(Clip(clip_id, source.kind, source.package.name, source.package.version,
                          original_path, info.speaker, info.group, info.language, source_rate,
                          duration, audio.bandwidth_hz(samples, audio.SAMPLE_RATE_HZ), **stats,
                          kept=kept, drop_reason=reason,
                          licence=copyright_file.licence_for(original_path.split(":")[-1]),
                          original_sha256=digest))
    return clips


def _synthetic_irs(out: pathlib.Path) -> list[Clip]:
    clips = []
    seeds = np.random.SeedSequence(IR_SEED).spawn(SYNTHETIC_IR_COUNT)
    for i, seed in enumerate(seeds):
        clip_id = f"ir/synthetic/room_{i:04d}.wav"
        ir, draw = rooms.synthetic_ir(np.random.default_rng(seed), audio.SAMPLE_RATE_HZ)
        path = out / clip_id
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(str(path), ir, audio.SAMPLE_RATE_HZ, subtype="FLOAT")
        note = f"rt60={draw.rt60_s:.3f}s predelay={draw.predelay_s * 1e3:.2f}ms drr={draw.drr_db:.1f}dB"
        clips.append(Clip(clip_id, "ir", "synthetic", f"training.rooms seed={IR_SEED}/{i}", note,
                          f"synthetic:{i:04d}", f"synthetic:{i:04d}", "", audio.SAMPLE_RATE_HZ,
                          ir.size / audio.SAMPLE_RATE_HZ, 0.0, None, None, None, None, None,
                          True, "", "generated (no licence)", ""))
    return clips


def _write_manifest(path: pathlib.Path, clips: list[Clip]) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=MANIFEST_FIELDS)
        writer.writeheader()
        for clip in clips:
            row = dataclasses.asdict(clip)
            for key, value in row.items():
                if isinstance(value, float):
                    row[key] = f"{value:.4f}"
                elif value is None:
                    row[key] = ""
            writer.writerow(row)


def _split(clips: list[Clip], kind: str) -> dict[str, list[str]]:
    rows = [(c.clip_id, c.group, c.duration_s) for c in clips if c.kept]
    durations = splits.group_durations(rows)
    if kind == "speech":
        assignment = splits.assign_groups(durations, SPEECH_FRACTIONS, SPLIT_SEED)
    elif kind == "noise":
        assignment = splits.assign_noise_groups(durations, NOISE_FIXED_SPLITS, NOISE_VAL_FRACTION,
                                                SPLIT_SEED)
    else:
        fixed = {g: "test" for g in durations if g.startswith("jconvolver:")}
        pool = {g: d for g, d in durations.items() if g not in fixed}
        assignment = splits.assign_groups({g: 1.0 for g in pool}, SPEECH_FRACTIONS, SPLIT_SEED)
        assignment.update(fixed)
    return splits.split_lists(rows, assignment)


def _report(clips: list[Clip], lists: dict[str, dict[str, list[str]]],
            thresholds: screening.Thresholds) -> tuple[str, dict]:
    by_id = {c.clip_id: c for c in clips}
    lines = ["Noisy-label screening of clean speech (training/screening.py)", "",
             f"frames {screening.FRAME_SECONDS * 1e3:g} ms, hop {screening.HOP_SECONDS * 1e3:g} ms; "
             f"frames below {screening.DIGITAL_SILENCE_DB:g} dBFS (digital silence) ignored",
             f"speech level = p{screening.SPEECH_PERCENTILE:g} of frame dBFS, noise floor = "
             f"p{screening.FLOOR_PERCENTILE:g}, est. SNR = difference",
             "keep if: " + ", ".join(f"{k}={v:g}" for k, v in dataclasses.asdict(thresholds).items())
             + f", source rate >= {MIN_SOURCE_RATE_HZ} Hz, not a byte-identical duplicate",
             "checks are applied in the order duration, active, clipped, snr, floor; a clip is "
             "counted under the first it fails", ""]
    per_package: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for c in clips:
        if c.kind != "speech":
            continue
        row = per_package[c.package]
        row["clips"] += 1
        row["hours"] += c.duration_s / 3600
        if c.kept:
            row["kept"] += 1
            row["kept_hours"] += c.duration_s / 3600
        else:
            row["drop:" + c.drop_reason] += 1
    reasons = sorted({k for row in per_package.values() for k in row if k.startswith("drop:")})
    header = f"{'package':26s} {'clips':>6s} {'kept':>6s} {'h in':>6s} {'h kept':>7s}  " + \
        "  ".join(r[5:] for r in reasons)
    lines.append(header)
    for package in sorted(per_package):
        row = per_package[package]
        lines.append(f"{package:26s} {int(row['clips']):6d} {int(row['kept']):6d} {row['hours']:6.2f} "
                     f"{row['kept_hours']:7.2f}  " + "  ".join(f"{int(row[r]):{len(r) - 5}d}" for r in reasons))
    snrs = np.array([c.snr_db for c in clips if c.kind == "speech" and c.snr_db is not None])
    floors = np.array([c.floor_dbfs for c in clips if c.kind == "speech" and c.floor_dbfs is not None])
    lines += ["", "est. SNR over all decoded speech clips, dB: "
              + " ".join(f"p{p}={np.percentile(snrs, p):.1f}" for p in (5, 25, 50, 75, 95)),
              "noise floor over all decoded speech clips, dBFS: "
              + " ".join(f"p{p}={np.percentile(floors, p):.1f}" for p in (5, 25, 50, 75, 95)), ""]
    summary: dict = {"split_seed": SPLIT_SEED, "ir_seed": IR_SEED, "splits": {}}
    for kind, kind_lists in lists.items():
        for split, ids in kind_lists.items():
            seconds = sum(by_id[i].duration_s for i in ids)
            groups = sorted({by_id[i].group for i in ids})
            summary["splits"][f"{kind}_{split}"] = {"clips": len(ids), "hours": round(seconds / 3600, 3),
                                                    "groups": len(groups)}
            lines.append(f"{kind:6s} {split:5s}: {len(ids):6d} clips {seconds / 3600:7.3f} h "
                         f"{len(groups):4d} groups")
    return "\n".join(lines) + "\n", summary


def build(out: pathlib.Path, report_dir: Optional[pathlib.Path], thresholds: screening.Thresholds) -> None:
    started = time.time()
    out.mkdir(parents=True, exist_ok=True)
    roots = {}
    for package in packages():
        _log(f"fetch {package.name}={package.version}")
        deb = debian.fetch(package, out / "debs")
        roots[package.name] = debian.extract(package, deb, out / "extract")
    clips: list[Clip] = []
    seen: dict[str, set[str]] = defaultdict(set)
    for source in SOURCES:
        _log(f"decode {source.kind} {source.package.name}")
        clips += _decode_source(source, roots[source.package.name], out, thresholds, seen[source.kind])
    _log("synthetic impulse responses")
    clips += _synthetic_irs(out)
    lists = {}
    for kind in ("speech", "noise", "ir"):
        kind_clips = [c for c in clips if c.kind == kind]
        _write_manifest(out / f"manifest_{kind}.csv", kind_clips)
        lists[kind] = _split(kind_clips, kind)
    report, summary = _report(clips, lists, thresholds)
    summary["packages"] = {p.name: {"version": p.version, "sha256": p.sha256} for p in packages()}
    targets = [out] + ([report_dir] if report_dir else [])
    for target in targets:
        (target / "splits").mkdir(parents=True, exist_ok=True)
        for kind, kind_lists in lists.items():
            for split, ids in kind_lists.items():
                (target / "splits" / f"{kind}_{split}.txt").write_text("".join(i + "\n" for i in ids))
        (target / "screening_report.txt").write_text(report)
        (target / "summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    _log(report)
    _log(f"done in {time.time() - started:.1f} s")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.corpus", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    build_parser = sub.add_parser("build", help="fetch, decode, screen, split")
    build_parser.add_argument("--out", type=pathlib.Path, required=True, help="corpus folder")
    build_parser.add_argument("--report-dir", type=pathlib.Path, default=None,
                              help="also write splits, screening report and summary here")
    defaults = screening.Thresholds()
    build_parser.add_argument("--min-snr-db", type=float, default=defaults.min_snr_db)
    build_parser.add_argument("--max-floor-dbfs", type=float, default=defaults.max_floor_dbfs)
    build_parser.add_argument("--min-duration-s", type=float, default=defaults.min_duration_s)
    args = parser.parse_args(argv)
    thresholds = dataclasses.replace(defaults, min_snr_db=args.min_snr_db,
                                     max_floor_dbfs=args.max_floor_dbfs,
                                     min_duration_s=args.min_duration_s)
    build(args.out.resolve(), args.report_dir.resolve() if args.report_dir else None, thresholds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
