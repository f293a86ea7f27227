"""training/photo_precision.py's refusals (the conversions themselves: test_photo_int8.py)."""
import json

import pytest


def _files(tmp_path, history):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"name": "tiny", "seed": 1, "model": {"width": 8, "blocks": 1},
                                  "export": {"tile": 32, "calibration_crops": 2}}))
    hist = tmp_path / "history.json"
    hist.write_text(json.dumps(history))
    return ["--config", str(config), "--history", str(hist), "--corpus", str(tmp_path / "none"),
            "--out", str(tmp_path / "out")]


def test_a_history_without_quantization_ranges_is_refused(tmp_path, capsys):
    pytest.importorskip("tensorflow")
    from training import photo_precision

    assert photo_precision.main(_files(tmp_path, {"step": 3})) == 2
    assert "has no quant_ranges" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("bad", ["float32", "int4"])
def test_unknown_or_reference_precisions_are_refused(tmp_path, capsys, bad):
    pytest.importorskip("tensorflow")
    from training import photo_precision

    args = _files(tmp_path, {"quant_ranges": {"head": [-1.0, 1.0]}}) + ["--precisions", f"int8,{bad}"]
    assert photo_precision.main(args) == 2
    assert f"unknown precision(s) {bad}" in capsys.readouterr().err
