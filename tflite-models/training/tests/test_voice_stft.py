"""The numpy STFT against the Java one: window definition, framing, scaling, reconstruction,
and (where a built ``denoise.jar`` and ``javac`` exist) value parity with ``Stft.forward``."""

import os
import pathlib
import shutil
import subprocess

import numpy as np
import pytest

from training import voice_stft as vs

from .signals import speech_like


def test_window_is_the_periodic_square_root_hann_of_windows_create():
    n = 960
    periodic_hann = np.hanning(n + 1)[:n]  # numpy's is symmetric over n + 1 points
    np.testing.assert_allclose(vs.sqrt_hann(n), np.sqrt(periodic_hann), atol=1e-7)
    assert vs.sqrt_hann(n).dtype == np.float32
    w = vs.sqrt_hann(n).astype(np.float64)
    # Power-complementary at 50 % overlap, as the Windows Javadoc states.
    np.testing.assert_allclose(w[:480] ** 2 + w[480:] ** 2, 1.0, atol=1e-6)


def test_framing_follows_stft_stage_history():
    # An impulse at sample p lands in the frames whose 960-sample window ends after p:
    # frame t holds samples [(t + 1) * 480 - 960, (t + 1) * 480).
    x = np.zeros(4800, np.float32)
    p = 1234
    x[p] = 1.0
    spec = vs.forward(x)
    assert spec.shape == (10, 513)
    hit = np.flatnonzero(np.abs(spec).max(axis=1) > 0)
    assert list(hit) == [t for t in range(10) if (t + 1) * 480 - 960 <= p < (t + 1) * 480]
    # Unnormalised forward transform: the impulse's magnitude is the window value there.
    t = hit[0]
    np.testing.assert_allclose(np.abs(spec[t]), vs.sqrt_hann()[p - ((t + 1) * 480 - 960)], rtol=1e-6)


def test_dc_bin_of_a_constant_is_the_window_sum():
    spec = vs.forward(np.full(48000, 0.25, np.float32))
    np.testing.assert_allclose(spec[5:, 0].real, 0.25 * vs.sqrt_hann().astype(np.float64).sum(), rtol=1e-6)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_analysis_then_synthesis_is_a_delay_of_one_hop(seed):
    x = speech_like(seed, 1.0) + 0.01 * np.random.default_rng(seed).standard_normal(48000).astype(np.float32)
    y = vs.inverse(vs.forward(x))
    # StftStage's latency: window - hop = 480 samples.
    np.testing.assert_allclose(y[480:], x[:y.size - 480], atol=1e-5)


def test_log_power_is_the_contract_input():
    spec = np.array([[3 + 4j, 0j]])
    np.testing.assert_allclose(vs.log_power(spec), [[np.log(25 + 1e-8), np.log(1e-8)]])


JAVA_DUMP = """
import dev.denoise.core.audio.Stft;
import dev.denoise.core.audio.Windows;
import dev.denoise.core.audio.classic.ClassicDenoiser;
import java.io.*;
import java.nio.*;
import java.nio.file.*;

public class StftDump {
  public static void main(String[] args) throws Exception {
    byte[] raw = Files.readAllBytes(Paths.get(args[0]));
    FloatBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] x = new float[in.remaining()];
    in.get(x);
    Stft stft = ClassicDenoiser.standardStft(48000);
    int w = stft.windowLength(), hop = stft.hopSize(), bins = stft.bins();
    float[] history = new float[w];
    float[] re = new float[bins], im = new float[bins];
    int frames = x.length / hop;
    ByteBuffer out = ByteBuffer.allocate(4 * (4 + w + 2 * frames * bins)).order(ByteOrder.LITTLE_ENDIAN);
    out.putFloat(w).putFloat(hop).putFloat(stft.fftSize()).putFloat(bins);
    for (float v : Windows.create(Windows.Shape.SQRT_HANN, w)) out.putFloat(v);
    for (int t = 0; t < frames; t++) {
      System.arraycopy(history, hop, history, 0, w - hop);
      System.arraycopy(x, t * hop, history, w - hop, hop);
      stft.forward(history, 0, re, im);
      for (int k = 0; k < bins; k++) { out.putFloat(re[k]); out.putFloat(im[k]); }
    }
    Files.write(Paths.get(args[1]), out.array());
  }
}
"""


def find_jar():
    env = os.environ.get("DENOISE_JAR")
    if env:
        return pathlib.Path(env)
    return pathlib.Path(__file__).resolve().parents[3] / "cli" / "target" / "denoise.jar"


def test_forward_matches_the_java_stft_values(tmp_path):
    jar = find_jar()
    if not jar.is_file() or shutil.which("javac") is None:
        pytest.skip(f"needs javac and a built {jar} (mvn -pl cli -am package), or DENOISE_JAR")
    (tmp_path / "StftDump.java").write_text(JAVA_DUMP)
    subprocess.run(["javac", "-cp", str(jar), "-d", str(tmp_path), str(tmp_path / "StftDump.java")], check=True)
    x = (speech_like(7, 0.5) + 0.05 * np.random.default_rng(7).standard_normal(24000)).astype("<f4")
    (tmp_path / "x.f32").write_bytes(x.tobytes())
    subprocess.run(["java", "-cp", f"{tmp_path}{os.pathsep}{jar}", "StftDump", str(tmp_path / "x.f32"),
                    str(tmp_path / "out.f32")], check=True)
    raw = np.frombuffer((tmp_path / "out.f32").read_bytes(), "<f4")
    assert list(raw[:4]) == [vs.WINDOW, vs.HOP, vs.FFT_SIZE, vs.BINS]
    np.testing.assert_array_equal(raw[4:4 + vs.WINDOW], vs.sqrt_hann())
    java = raw[4 + vs.WINDOW:].reshape(-1, vs.BINS, 2)
    ours = vs.forward(x)
    assert java.shape[0] == ours.shape[0] == 50
    scale = np.abs(ours).max()
    np.testing.assert_allclose(java[..., 0], ours.real, atol=2e-6 * scale)
    np.testing.assert_allclose(java[..., 1], ours.imag, atol=2e-6 * scale)
    lp = vs.log_power(ours)
    java_lp = np.log(java[..., 0].astype(np.float64) ** 2 + java[..., 1] ** 2 + 1e-8)
    loud = lp > np.log(1e-4 * scale ** 2)
    np.testing.assert_allclose(java_lp[loud], lp[loud], atol=1e-3)
