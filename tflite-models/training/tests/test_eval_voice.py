"""The evaluation's own numerics: SI-SDR against its definition, delay estimation, and the
channel packing that carries clips through the CLI."""

import numpy as np
import pytest

from training import eval_voice as ev


def test_si_sdr_is_scale_invariant_and_matches_a_constructed_ratio():
    rng = np.random.default_rng(3)
    s = rng.standard_normal(16000)
    n = rng.standard_normal(16000)
    n -= np.mean(n)
    s -= np.mean(s)
    n -= s * np.dot(n, s) / np.dot(s, s)  # orthogonal to s: the residual is exactly n
    n *= np.sqrt(np.dot(s, s) / np.dot(n, n)) * 10 ** (-7.5 / 20)
    assert ev.si_sdr(s, s + n) == pytest.approx(7.5, abs=1e-6)
    assert ev.si_sdr(s, 0.3 * (s + n)) == pytest.approx(7.5, abs=1e-6)
    assert ev.si_sdr(s, np.roll(s, 5)) < -10  # white noise shifted by 5 samples shares nothing


@pytest.mark.parametrize("lag", [0, 480, 1441])
def test_estimate_lag_finds_a_known_delay(lag):
    rng = np.random.default_rng(lag)
    inputs = [rng.standard_normal(24000).astype(np.float32) for _ in range(3)]
    outputs = [0.5 * np.concatenate([np.zeros(lag, np.float32), x[:x.size - lag]]) for x in inputs]
    assert ev.estimate_lag(inputs, outputs) == lag
    assert np.allclose(ev.shift(outputs[0], lag)[:-lag or None], 0.5 * inputs[0][:inputs[0].size - lag])


def test_channels_round_trip_with_their_own_lengths(tmp_path):
    clips = [np.linspace(-0.5, 0.5, n).astype(np.float32) for n in (4800, 1000, 7001)]
    path = tmp_path / "c.wav"
    ev.write_channels(path, clips)
    back = ev.read_channels(path, [c.size for c in clips])
    for a, b in zip(clips, back):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="channels"):
        ev.read_channels(path, [4800, 1000])


def test_probe_keeps_the_methods_the_jar_runs_and_reports_the_others(tmp_path):
    def fake_run(jar, args, noisy, out):
        assert noisy.exists()
        if args[-1].startswith("crn"):
            raise RuntimeError("unknown model 'crn'")
        return 0.1

    ok, refused = ev.probe_cli_methods(tmp_path / "denoise.jar", ev.MASK_METHODS, tmp_path, run=fake_run)
    assert sorted(ok) == ["unet-float32", "unet-int8"]
    assert sorted(refused) == ["crn-complex-float32", "crn-complex-int8", "crn-float32", "crn-int8"]
    assert "unknown model" in refused["crn-int8"]


def test_select_methods_adds_named_models_and_keeps_only_the_asked_rows():
    base = {"mmse-lsa": ["--method", "mmse-lsa"], "ours-float32": ["--method", "neural"]}
    out = ev.select_methods(base, ["shipped=/m/a.tflite", "new=/m/b.tflite"], None)
    assert list(out) == ["mmse-lsa", "ours-float32", "shipped", "new"]
    assert out["new"] == ["--method", "neural", "--model", "/m/b.tflite"]
    assert list(ev.select_methods(base, ["new=/m/b.tflite"], ["new", "ours-float32"])) == ["new", "ours-float32"]
    assert ev.select_methods(base, [], None) == base
    for extra, only in ((["bad"], None), (["=x"], None), (["mmse-lsa=/x"], None), ([], ["nope"])):
        with pytest.raises(ValueError):
            ev.select_methods(base, extra, only)


def test_run_oracle_hands_each_clip_to_the_cli_and_reads_its_output(tmp_path):
    import soundfile
    from types import SimpleNamespace

    rng = np.random.default_rng(4)
    items = [SimpleNamespace(target=rng.standard_normal(n).astype(np.float32) * 0.1,
                             mixture=rng.standard_normal(n).astype(np.float32) * 0.1) for n in (4800, 7200)]
    calls = []

    def fake(cmd):  # stands in for `denoise oracle`: writes half the noisy input
        calls.append(cmd)
        args = dict(zip(cmd[5::2], cmd[6::2]))
        x, _ = soundfile.read(args["--noisy"], dtype="float32")
        c, _ = soundfile.read(args["--clean"], dtype="float32")
        assert c.size == x.size
        soundfile.write(cmd[-1], 0.5 * x, ev.RATE, subtype="FLOAT")

    outs = ev.run_oracle(tmp_path / "denoise.jar", items, tmp_path, run=fake)
    assert [c[:5] for c in calls] == [["java", "-jar", str(tmp_path / "denoise.jar"), "oracle", "--force"]] * 2
    assert [o.size for o in outs] == [4800, 7200]
    for e, o in zip(items, outs):
        np.testing.assert_allclose(o, 0.5 * e.mixture, atol=1e-7)


def test_warmed_feeds_the_opening_backwards_and_cuts_it_off():
    seen = []

    def recording(x):
        seen.append(x.copy())
        return 2 * x

    x = np.arange(1, ev.RATE // 2 + 101, dtype=np.float32)  # 0.5 s + 100 samples
    y = ev.warmed(recording, lead_s=0.25)(x)
    lead = ev.RATE // 4
    np.testing.assert_array_equal(y, 2 * x)
    np.testing.assert_array_equal(seen[0][:lead], x[:lead][::-1])
    np.testing.assert_array_equal(seen[0][lead:], x)
    short = x[:100]
    np.testing.assert_array_equal(ev.warmed(recording, lead_s=1.0)(short), 2 * short)
    np.testing.assert_array_equal(seen[1][:100], short[::-1])
