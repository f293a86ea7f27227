package dev.denoise.cli;

import dev.denoise.core.audio.Resampler;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavFiles;
import dev.denoise.core.audio.wav.WavFormatException;
import dev.denoise.core.metrics.SiSdr;
import dev.denoise.core.metrics.Snr;
import dev.denoise.core.metrics.Stoi;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code denoise eval-audio --clean C.wav --test T.wav [--json]}: intrusive quality metrics of a
 * test signal against its clean reference (both mixed down to mono). A test file at another
 * supported rate is resampled to the reference's rate; lengths may differ by up to 1% (the
 * longer is cut), more is refused.
 */
@Command(name = "eval-audio", mixinStandardHelpOptions = true,
    description = "Print SI-SDR, SNR, segmental SNR and STOI of TEST against CLEAN.")
final class EvalAudioCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--clean", required = true, paramLabel = "C.wav", description = "Reference.")
  Path clean;

  @Option(names = "--test", required = true, paramLabel = "T.wav", description = "Signal to rate.")
  Path test;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    AudioClip reference = read(clean);
    AudioClip estimate = read(test);
    int rate = reference.sampleRate();
    float[] ref = mono(reference);
    float[] est = mono(estimate);
    if (estimate.sampleRate() != rate) {
      est = Resampler.resample(est, estimate.sampleRate(), rate);
    }
    int n = Math.min(ref.length, est.length);
    if (Math.abs(ref.length - est.length) > 0.01 * Math.max(ref.length, est.length)) {
      throw new IllegalArgumentException(String.format(
          "lengths differ by more than 1%%: clean %d samples, test %d samples at %d Hz",
          ref.length, est.length, rate));
    }
    if (n == 0) {
      throw new IllegalArgumentException("the files hold no audio");
    }
    ref = java.util.Arrays.copyOf(ref, n);
    est = java.util.Arrays.copyOf(est, n);
    double siSdr = SiSdr.db(ref, est);
    double snr = Snr.db(ref, est);
    double segSnr = Snr.segmentalDb(ref, est, rate);
    double stoi = Stoi.compute(ref, est, rate);
    if (json) {
      out.println(String.format(Locale.ROOT,
          "{\"si_sdr_db\": %s, \"snr_db\": %s, \"seg_snr_db\": %s, \"stoi\": %s, "
              + "\"sample_rate\": %d, \"samples\": %d}",
          num(siSdr), num(snr), num(segSnr), num(stoi), rate, n));
    } else {
      out.println(String.format(Locale.ROOT, "SI-SDR  %8.2f dB", siSdr));
      out.println(String.format(Locale.ROOT, "SNR     %8.2f dB", snr));
      out.println(String.format(Locale.ROOT, "segSNR  %8.2f dB", segSnr));
      out.println(String.format(Locale.ROOT, "STOI    %8.4f", stoi));
    }
    return 0;
  }

  /** Reads a WAV, naming the file in any error. */
  private static AudioClip read(Path path) throws IOException {
    try {
      return WavFiles.read(path);
    } catch (WavFormatException e) {
      throw new WavFormatException(path + ": " + e.getMessage());
    }
  }

  /** JSON has no infinities: identical signals give "Infinity" as a string. */
  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "\"" + v + "\"";
  }

  /** Mean of the channels. */
  static float[] mono(AudioClip clip) {
    int n = clip.frameCount();
    float[] m = new float[n];
    for (int c = 0; c < clip.channelCount(); c++) {
      float[] ch = clip.channel(c);
      for (int i = 0; i < n; i++) {
        m[i] += ch[i] / clip.channelCount();
      }
    }
    return m;
  }
}
