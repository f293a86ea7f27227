"""The ``manifest.json`` beside every voice ``.tflite``, in the format the Java adapter reads
(``dev.denoise.tflite.ModelManifest`` and ``TfliteGainModel``; see ``tflite-models/README.md``).

:func:`gain_model_manifest` builds it from a converted model's interpreter, :func:`validate`
applies the Java loader's rules to a manifest (the exporter calls it before writing, the tests
call it on the committed files), and :func:`check_against_model` compares a manifest with what
TensorFlow Lite's Python interpreter reports for the file. ``python -m training.manifest
check DIR...`` runs both on exported model folders; ``rewrite DIR...`` regenerates the adapter
fields of an existing manifest from its model file (how the first exporter's manifests were
converted), keeping its metadata.

Tensor entries are in signature order and carry the signature ``name`` (what the adapter asks
for), the TFLite ``tensor`` name, ``shape``, ``dtype``, ``quantization`` (scale 0 = float), the
tensor's ``index`` and its ``position`` in the interpreter's input or output list (the 2.6
Java API has no signature runner and tensor order is not signature order: the adapter binds
by name and uses the position it finds, the manifest records it for readers).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pathlib
import re
import sys

import numpy as np

FORMAT_VERSION = 1
SIGNATURE = "serving_default"
# What the Java core computes (FeatureExtractor): a gain model must match these.
FEATURE_VERSION = 1
FEATURE_COUNT = 42
BANDS = 22
SAMPLE_RATE = 48000
FEATURES = "features"
GAINS = "gains"
VAD = "vad"
DTYPES = ("float32", "int8")
# Spectral-mask models (/work/notes/mask_contract.md): the Java STFT framing they assume.
MASK_KIND = "spectral_mask"
SPECTRUM = "spectrum"
MASK = "mask"
MASK_OUTPUTS = {"magnitude": [MASK], "complex": ["mask_re", "mask_im"]}
MASK_FRAMING = {"sample_rate": 48000, "window": 960, "hop": 480, "fft_size": 1024, "bins": 513,
                "input_transform": "ln(power + 1e-8)", "algorithmic_latency_ms": 20}


class ManifestError(ValueError):
    """A manifest the Java adapter would refuse; the message names the field."""


def tensor_entries(signature_details: dict, model_details: list, order: list[str]) -> list[dict]:
    """Manifest tensor entries for the signature names in ``order``.

    ``signature_details`` is a signature runner's ``get_input_details()`` (or outputs), keyed
    by signature name; ``model_details`` is the interpreter's ``get_input_details()`` list,
    whose order is the position the Java API uses.
    """
    missing = [n for n in order if n not in signature_details]
    if missing or len(order) != len(signature_details):
        raise ManifestError(f"signature tensors {sorted(signature_details)} do not match {order}")
    positions = {int(d["index"]): p for p, d in enumerate(model_details)}
    names = {int(d["index"]): d["name"] for d in model_details}
    entries = []
    for name in order:
        d = signature_details[name]
        index = int(d["index"])
        scale, zero_point = d["quantization"]
        entries.append({
            "name": name,
            "tensor": names[index],
            "shape": [int(s) for s in d["shape"]],
            "dtype": np.dtype(d["dtype"]).name,
            "quantization": {"scale": float(scale), "zero_point": int(zero_point)},
            "index": index,
            "position": positions[index],
        })
    return entries


def gain_model_manifest(model: bytes, interpreter, runner, input_order: list[str],
                        output_order: list[str], states: list[tuple[str, str]], extra: dict) -> dict:
    """The manifest of a converted gain model.

    ``interpreter`` is a ``tf.lite.Interpreter`` over ``model`` and ``runner`` its
    ``serving_default`` signature runner; ``states`` pairs each state input with the output
    fed back to it; ``extra`` (training data, seed, metrics, ...) is merged in after the
    fields the adapter reads, which it may not override.
    """
    manifest = {
        "format_version": FORMAT_VERSION,
        "file": "model.tflite",
        "sha256": hashlib.sha256(model).hexdigest(),
        "bytes": len(model),
        "signature": SIGNATURE,
        "feature_version": FEATURE_VERSION,
        "feature_count": FEATURE_COUNT,
        "band_count": BANDS,
        "sample_rate": SAMPLE_RATE,
        "inputs": tensor_entries(runner.get_input_details(), interpreter.get_input_details(), input_order),
        "outputs": tensor_entries(runner.get_output_details(), interpreter.get_output_details(), output_order),
        "states": [{"input": i, "output": o} for i, o in states],
    }
    clash = sorted(set(manifest) & set(extra))
    if clash:
        raise ManifestError(f"extra metadata may not override {clash}")
    manifest.update(extra)
    validate(manifest)
    return manifest


def mask_model_manifest(model: bytes, interpreter, runner, state_names: list[str], extra: dict,
                        mask: str = "magnitude") -> dict:
    """The manifest of a converted spectral-mask model (``spectrum`` + states in, ``mask`` (or
    with ``mask="complex"`` ``mask_re`` and ``mask_im``) + ``<state>_out`` out, the contract's
    framing fields); ``extra`` as for
    :func:`gain_model_manifest` (it must hold ``params`` and ``macs_per_frame``)."""
    manifest = {
        "format_version": FORMAT_VERSION,
        "kind": MASK_KIND,
        "file": "model.tflite",
        "sha256": hashlib.sha256(model).hexdigest(),
        "bytes": len(model),
        "signature": SIGNATURE,
        **MASK_FRAMING,
        "mask": mask,
        "inputs": tensor_entries(runner.get_input_details(), interpreter.get_input_details(),
                                 [SPECTRUM] + list(state_names)),
        "outputs": tensor_entries(runner.get_output_details(), interpreter.get_output_details(),
                                  list(MASK_OUTPUTS.get(mask, [MASK])) + [f"{n}_out" for n in state_names]),
        "states": [{"input": n, "output": f"{n}_out"} for n in state_names],
    }
    clash = sorted(set(manifest) & set(extra))
    if clash:
        raise ManifestError(f"extra metadata may not override {clash}")
    manifest.update(extra)
    validate(manifest)
    return manifest


def _validate_mask(manifest: dict, inputs: dict, outputs: dict, states: list) -> None:
    for key, value in MASK_FRAMING.items():
        if manifest.get(key) != value:
            raise ManifestError(f'"{key}" is {manifest.get(key)!r}; the Java framing has {value!r}')
    for key in ("params", "macs_per_frame"):
        if key not in manifest or _int(manifest[key], key) <= 0:
            raise ManifestError(f'"{key}" must be a positive integer')
    kind = manifest.get("mask")
    wanted = MASK_OUTPUTS.get(kind)
    if wanted is None:
        raise ManifestError(f'"mask" is {kind!r}; expected "magnitude" or "complex"')
    if SPECTRUM not in inputs or _count(inputs[SPECTRUM]) != MASK_FRAMING["bins"]:
        raise ManifestError(f'inputs need a "{SPECTRUM}" tensor of {MASK_FRAMING["bins"]} elements')
    for name in wanted:
        if name not in outputs or _count(outputs[name]) != MASK_FRAMING["bins"]:
            raise ManifestError(f'outputs need a "{name}" tensor of {MASK_FRAMING["bins"]} elements')
    fed = {SPECTRUM} | {s["input"] for s in states}
    for name in inputs:
        if name not in fed:
            raise ManifestError(f'input "{name}" is neither "{SPECTRUM}" nor a state input listed in "states"')


def _int(value, where: str) -> int:
    # The Java reader parses numbers as doubles and wants an integral value.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise ManifestError(f'"{where}" must be an integer, got {value!r}')
    return int(value)


def _tensors(manifest: dict, key: str) -> list[dict]:
    value = manifest.get(key)
    if not isinstance(value, list) or not value:
        raise ManifestError(f'"{key}" must be a non-empty array of tensors')
    seen = set()
    for i, t in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(t, dict):
            raise ManifestError(f"{where} must be an object")
        name = t.get("name")
        if not isinstance(name, str) or not name:
            raise ManifestError(f"{where}.name must be a non-empty string")
        if name in seen:
            raise ManifestError(f'{key} lists "{name}" twice')
        seen.add(name)
        if "tensor" in t and not isinstance(t["tensor"], str):
            raise ManifestError(f"{where}.tensor must be a string")
        if not isinstance(t.get("dtype"), str):
            raise ManifestError(f'{where}.dtype must be a string such as "float32" or "int8"')
        shape = t.get("shape")
        if not isinstance(shape, list) or not shape:
            raise ManifestError(f"{where}.shape must be a non-empty array of sizes")
        for d, size in enumerate(shape):
            if _int(size, f"{where}.shape[{d}]") <= 0:
                raise ManifestError(f"{where}.shape[{d}] must be positive, got {size}")
        if "position" in t and _int(t["position"], f"{where}.position") < 0:
            raise ManifestError(f"{where}.position must be >= 0, got {t['position']}")
        q = t.get("quantization")
        if q is not None:
            if not isinstance(q, dict) or not isinstance(q.get("scale"), (int, float)) \
                    or isinstance(q.get("scale"), bool):
                raise ManifestError(f'{where}.quantization must be {{"scale": S, "zero_point": Z}}')
            _int(q.get("zero_point"), f"{where}.quantization.zero_point")
            if not (q["scale"] >= 0) or q["scale"] == float("inf"):
                raise ManifestError(f"{where}.quantization.scale must be finite and >= 0, got {q['scale']}")
    return value


def _count(t: dict) -> int:
    return int(np.prod([int(s) for s in t["shape"]]))


def validate(manifest: dict) -> None:
    """Raises :class:`ManifestError` where ``ModelManifest`` or ``TfliteGainModel`` would refuse
    the manifest (the model file itself is checked by :func:`check_against_model`)."""
    if not isinstance(manifest, dict):
        raise ManifestError("a manifest is a JSON object")
    if "format_version" not in manifest:
        raise ManifestError('missing field "format_version"')
    if _int(manifest["format_version"], "format_version") != FORMAT_VERSION:
        raise ManifestError(f"format_version is {manifest['format_version']}; the adapter reads {FORMAT_VERSION}")
    sha = manifest.get("sha256")
    if not isinstance(sha, str):
        raise ManifestError('missing field "sha256"')
    if not re.fullmatch(r"[0-9a-f]{64}", sha.lower()):
        raise ManifestError(f'sha256 must be 64 hex digits, got "{sha}"')
    for key in ("file", "signature"):
        if key in manifest and not isinstance(manifest[key], str):
            raise ManifestError(f'"{key}" must be a string, got {manifest[key]!r}')
    inputs = {t["name"]: t for t in _tensors(manifest, "inputs")}
    outputs = {t["name"]: t for t in _tensors(manifest, "outputs")}
    states = manifest.get("states", [])
    if not isinstance(states, list):
        raise ManifestError('"states" must be an array of {"input": IN, "output": OUT}')
    for i, s in enumerate(states):
        if not isinstance(s, dict) or not isinstance(s.get("input"), str) or not isinstance(s.get("output"), str):
            raise ManifestError(f'states[{i}] must be {{"input": IN, "output": OUT}}')
        if s["input"] not in inputs:
            raise ManifestError(f'inputs has no tensor named "{s["input"]}" (it lists {list(inputs)})')
        if s["output"] not in outputs:
            raise ManifestError(f'outputs has no tensor named "{s["output"]}" (it lists {list(outputs)})')
        a, b = inputs[s["input"]], outputs[s["output"]]
        if _count(a) != _count(b) or a["dtype"].lower() != b["dtype"].lower():
            raise ManifestError(f"state {s['input']} -> {s['output']}: input and output differ in size or type")
    for table in (inputs, outputs):
        for t in table.values():
            if t["dtype"].lower() not in DTYPES:
                raise ManifestError(f'tensor "{t["name"]}" is {t["dtype"]}; voice models use float32 or int8')
            if t["dtype"].lower() == "int8" and not (t.get("quantization") or {}).get("scale", 0) > 0:
                raise ManifestError(f'int8 tensor "{t["name"]}" has no quantization scale')
    if manifest.get("kind") == MASK_KIND:
        _validate_mask(manifest, inputs, outputs, states)
        return
    # TfliteGainModel: the features, what the core computes, and the tensors it reads.
    if "feature_version" not in manifest:
        raise ManifestError('missing field "feature_version"')
    for key, core in (("feature_version", FEATURE_VERSION), ("feature_count", FEATURE_COUNT),
                      ("band_count", BANDS), ("sample_rate", SAMPLE_RATE)):
        if key in manifest and _int(manifest[key], key) != core:
            raise ManifestError(f"{key} is {manifest[key]}; the Java feature extractor has {key} {core}")
    for table, name, count in ((inputs, FEATURES, FEATURE_COUNT), (outputs, GAINS, BANDS), (outputs, VAD, 1)):
        if name not in table:
            raise ManifestError(f'{"inputs" if table is inputs else "outputs"} has no tensor named "{name}" '
                                f"(it lists {list(table)})")
        if _count(table[name]) != count:
            raise ManifestError(f'"{name}" has {_count(table[name])} elements; a gain model needs {count}')
    fed = {FEATURES} | {s["input"] for s in states}
    for name in inputs:
        if name not in fed:
            raise ManifestError(f'input "{name}" is neither "{FEATURES}" nor a state input listed in "states"')


def check_against_model(manifest: dict, model: bytes) -> None:
    """Raises :class:`ManifestError` unless ``model``'s sha256, signature tensors, TFLite
    tensor names, positions, shapes, dtypes and quantization are the manifest's. Needs
    TensorFlow."""
    import tensorflow as tf

    validate(manifest)
    digest = hashlib.sha256(model).hexdigest()
    if digest != manifest["sha256"].lower():
        raise ManifestError(f"sha256 {digest} of the model does not match the manifest's {manifest['sha256']}")
    interpreter = tf.lite.Interpreter(model_content=model)
    runner = interpreter.get_signature_runner(manifest.get("signature", SIGNATURE))
    for key, sig, flat in (("inputs", runner.get_input_details(), interpreter.get_input_details()),
                           ("outputs", runner.get_output_details(), interpreter.get_output_details())):
        if len(flat) != len(manifest[key]):
            raise ManifestError(f"the model has {len(flat)} {key}, the manifest lists {len(manifest[key])}")
        actual = {t["name"]: t for t in tensor_entries(sig, flat, [t["name"] for t in manifest[key]])}
        for t in manifest[key]:
            a = actual[t["name"]]
            for field in ("tensor", "shape", "dtype", "position", "index"):
                if field in t and t[field] != a[field]:
                    raise ManifestError(f'{key} "{t["name"]}": {field} is {a[field]!r} in the model, '
                                        f"{t[field]!r} in the manifest")
            q = t.get("quantization") or {"scale": 0.0, "zero_point": 0}
            if abs(q["scale"] - a["quantization"]["scale"]) > 1e-6 * abs(a["quantization"]["scale"]) \
                    or q["zero_point"] != a["quantization"]["zero_point"]:
                raise ManifestError(f'{key} "{t["name"]}": quantization is {a["quantization"]} in the model, '
                                    f"{q} in the manifest")


LEGACY_KEYS = ("signature_inputs", "signature_outputs", "tensor_inputs", "tensor_outputs", "bands")


def rewrite(folder: pathlib.Path) -> dict:
    """Rewrites ``folder/manifest.json``'s adapter fields (tensors, states, feature counts) from
    the model file, keeping every other field (data, seed, metrics) and dropping the first
    exporter's keys (name-keyed ``inputs``/``outputs``, ``tensor_*``, ``signature_*``,
    ``bands``). The model file is not touched. Needs TensorFlow."""
    import tensorflow as tf

    path = folder / "manifest.json"
    old = json.loads(path.read_text())
    model = (folder / old.get("file", "model.tflite")).read_bytes()
    if "sha256" in old and old["sha256"] != hashlib.sha256(model).hexdigest():
        raise ManifestError(f"{path}: sha256 does not match {old.get('file', 'model.tflite')}; not rewriting")
    interpreter = tf.lite.Interpreter(model_content=model)
    runner = interpreter.get_signature_runner(old.get("signature", SIGNATURE))
    outs = runner.get_output_details()
    ins = runner.get_input_details()
    states = [(n[:-len("_out")], n) for n in outs if n.endswith("_out") and n[:-len("_out")] in ins]
    state_order = [i for i, _ in states]
    if "signature_inputs" in old:  # keep the exporter's order where it recorded one
        state_order = [n for n in old["signature_inputs"] if n != FEATURES]
        states = sorted(states, key=lambda s: state_order.index(s[0]))
    keep = {k: v for k, v in old.items() if k not in LEGACY_KEYS}
    for key in ("format_version", "file", "sha256", "bytes", "signature", "feature_version", "feature_count",
                "band_count", "sample_rate", "inputs", "outputs", "states"):
        keep.pop(key, None)
    manifest = gain_model_manifest(model, interpreter, runner, [FEATURES] + state_order,
                                   [GAINS, VAD] + [o for _, o in states], states, keep)
    ordered = {k: manifest[k] for k in ("model",) if k in manifest}
    ordered.update(manifest)
    check_against_model(ordered, model)
    path.write_text(json.dumps(ordered, indent=1) + "\n")
    return ordered


def check_folder(folder: pathlib.Path) -> dict:
    """Validates ``folder/manifest.json`` against ``folder/<file>``; returns the manifest."""
    manifest = json.loads((folder / "manifest.json").read_text())
    validate(manifest)
    check_against_model(manifest, (folder / manifest.get("file", "model.tflite")).read_bytes())
    return manifest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Checks (or rewrites the adapter fields of) exported "
                                     "model folders' manifest.json.")
    parser.add_argument("command", choices=["check", "rewrite"])
    parser.add_argument("folders", nargs="+", type=pathlib.Path)
    args = parser.parse_args(argv)
    failed = 0
    for folder in args.folders:
        try:
            (rewrite if args.command == "rewrite" else check_folder)(folder)
            print(f"{folder}: ok")
        except (ManifestError, OSError, json.JSONDecodeError) as e:
            print(f"{folder}: {e}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
