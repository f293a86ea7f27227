"""tools/stoi_parity.py: the committed reference is rewritten only when pystoi's answer moved."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import stoi_parity as sp  # noqa: E402


def results(values, sha="ab"):
    rows = [{"name": f"pair{i}", "seed": str(100 + i), "sample_rate_hz": "16000", "samples": "48000",
             "sha256": sha + str(i)} for i in range(len(values))]
    return [(row, v, 0.0) for row, v in zip(rows, values)]


def test_reference_written_then_kept_within_the_last_digits(tmp_path):
    path = tmp_path / "ref.csv"
    first = results([0.80613970432384, 1.0])
    assert not sp.unchanged(path, first, 1e-12)  # nothing there yet
    sp.write(path, first, 1e-14, "pair0")
    text = path.read_text()
    assert text.startswith("# pystoi") and "0.80613970432384" in text
    assert sp.unchanged(path, results([0.8061397043238401, 1.0]), 1e-12)


def test_reference_rewritten_when_a_value_or_a_pair_changes(tmp_path):
    path = tmp_path / "ref.csv"
    sp.write(path, results([0.8, 0.9]), 0.0, "")
    assert not sp.unchanged(path, results([0.8, 0.9 + 1e-9]), 1e-12)
    assert not sp.unchanged(path, results([0.8, 0.9], sha="cd"), 1e-12)
    assert not sp.unchanged(path, results([0.8]), 1e-12)
    assert not sp.unchanged(path, results([0.8, 0.9, 0.7]), 1e-12)
