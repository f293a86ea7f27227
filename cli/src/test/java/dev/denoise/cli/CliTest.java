package dev.denoise.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavEncoding;
import dev.denoise.core.audio.wav.WavFiles;
import dev.denoise.core.audio.wav.WavFormat;
import dev.denoise.core.audio.wav.WavReader;
import dev.denoise.core.metrics.SiSdr;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir
  Path dir;

  /** Exit code and both streams of one run. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = DenoiseCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private Path writeMixture(String name, int rate, int channels, double seconds, WavEncoding enc)
      throws IOException {
    float[][] data = new float[channels][];
    for (int c = 0; c < channels; c++) {
      data[c] = SpeechLikeSignal.mix(SpeechLikeSignal.speech(rate, seconds, 10 + c),
          SpeechLikeSignal.noise(rate, seconds, 0.5, false, 20 + c), 5);
    }
    Path path = dir.resolve(name);
    WavFiles.write(path, new AudioClip(rate, data), enc);
    return path;
  }

  @Test
  void demoWritesFilesAndEveryMethodImprovesSiSdr() throws IOException {
    Path out = dir.resolve("demo");
    Run r = run("demo", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    Matcher noisy = Pattern.compile("noisy\\.wav\\s+(-?[0-9.]+)").matcher(r.out());
    assertTrue(noisy.find(), r.out());
    double noisyDb = Double.parseDouble(noisy.group(1));
    for (String method : new String[] {"mmse-lsa", "wiener", "specsub"}) {
      Matcher m = Pattern.compile("denoised-" + method + "\\.wav\\s+(-?[0-9.]+)").matcher(r.out());
      assertTrue(m.find(), r.out());
      assertTrue(Double.parseDouble(m.group(1)) > noisyDb + 2, method + ": " + r.out());
      assertTrue(Files.size(out.resolve("denoised-" + method + ".wav")) > 700_000);
    }
    // The shipped neural model runs too (the desktop runtime is on the test classpath); its
    // quality is measured by the voice evaluation, not here.
    Matcher neural = Pattern.compile("denoised-neural\\.wav\\s+(-?[0-9.]+)").matcher(r.out());
    assertTrue(neural.find(), r.out());
    assertTrue(Files.size(out.resolve("denoised-neural.wav")) > 700_000);
    // So does every other bundled float32 voice model, each in its own file.
    for (String name : dev.denoise.tflite.VoiceModels.bundled()) {
      if (!name.equals("rnnoise") && !name.endsWith("-int8")) {
        String file = "denoised-neural-" + name + ".wav";
        assertTrue(Pattern.compile(Pattern.quote(file) + "\\s+-?[0-9.]+").matcher(r.out()).find(), r.out());
        assertTrue(Files.size(out.resolve(file)) > 700_000, file);
      }
    }
    // A second demo refuses to replace the files without --force.
    assertEquals(1, run("demo", "--out", out.toString()).code());
    assertEquals(0, run("demo", "--out", out.toString(), "--force").code());
  }

  @Test
  void audioKeepsFormatAndLengthAndImprovesEachChannel() throws IOException {
    Path in = writeMixture("stereo.wav", 44100, 2, 3, WavEncoding.PCM_S24);
    Path out = dir.resolve("clean.wav");
    Run r = run("audio", in.toString(), out.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    AudioClip input = WavFiles.read(in);
    AudioClip result = WavFiles.read(out);
    try (WavReader reader = WavReader.open(out)) {
      WavFormat f = reader.format();
      assertEquals(44100, f.sampleRate());
      assertEquals(2, f.channels());
      assertEquals(WavEncoding.PCM_S24, f.encoding());
    }
    assertEquals(input.frameCount(), result.frameCount());
    for (int c = 0; c < 2; c++) {
      float[] speech = SpeechLikeSignal.speech(44100, 3, 10 + c);
      double before = SiSdr.db(speech, input.channel(c));
      double after = SiSdr.db(speech, result.channel(c));
      assertTrue(after > before + 2, "channel " + c + ": " + before + " -> " + after);
    }
  }

  @Test
  void everyMethodAndOptionRuns() throws IOException {
    Path in = writeMixture("mono.wav", 16000, 1, 2, WavEncoding.FLOAT32);
    byte[] original = Files.readAllBytes(in);
    for (String[] extra : new String[][] {
        {}, {"--method", "wiener"}, {"--method", "specsub"}, {"--tracker", "mcra"},
        {"--noise-profile", "0:0.5", "--strength", "12", "--mix", "0.5"},
        {"--warm-up", "0.5"}, {"--warm-up", "0"}}) {
      Path out = dir.resolve("out-" + String.join("", extra).replace(":", "") + ".wav");
      String[] args = Stream.concat(Stream.of("audio", in.toString(), out.toString(), "--quiet"),
          Arrays.stream(extra)).toArray(String[]::new);
      Run r = run(args);
      assertEquals(0, r.code(), String.join(" ", extra) + ": " + r.err());
      assertEquals(WavFiles.read(in).frameCount(), WavFiles.read(out).frameCount());
    }
    assertArrayEquals(original, Files.readAllBytes(in), "input must be untouched");
    // The classic methods start cold unless asked: the default is --warm-up 0, and a warm-up
    // changes their output.
    float[] byDefault = WavFiles.read(dir.resolve("out-.wav")).channel(0);
    assertArrayEquals(WavFiles.read(dir.resolve("out---warm-up0.wav")).channel(0), byDefault);
    assertFalse(Arrays.equals(WavFiles.read(dir.resolve("out---warm-up0.5.wav")).channel(0),
        byDefault), "--warm-up 0.5 changed nothing");
  }

  /**
   * The warm-up holds the file's opening in memory: no more of it than the file has, and never
   * more than 64 MB of floats; a request beyond that is refused with the numbers, not an
   * OutOfMemoryError halfway through.
   */
  @Test
  void warmUpHoldsNoMoreThanTheFileAndRefusesWhatWouldNotFit() {
    WavFormat stereo = WavFormat.of(48000, 2, WavEncoding.PCM_S16);
    assertEquals(48000, AudioCommand.leadFrames(stereo, 1), "length unknown: the whole second");
    assertEquals(48000, AudioCommand.leadFrames(stereo.withFrameCount(480_000), 1));
    assertEquals(1000, AudioCommand.leadFrames(stereo.withFrameCount(1000), 1), "short file");
    assertEquals(0, AudioCommand.leadFrames(stereo.withFrameCount(480_000), 0));
    WavFormat wide = WavFormat.of(384000, 64, WavEncoding.PCM_S16);
    assertEquals(10, AudioCommand.leadFrames(wide.withFrameCount(10), 5), "short wide file");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AudioCommand.leadFrames(wide.withFrameCount(10_000_000), 5));
    assertTrue(e.getMessage().contains("64 channels at 384000 Hz would hold 468 MB")
        && e.getMessage().contains("at most 64 MB"), e.getMessage());
  }

  @Test
  void refusesToOverwriteInputOrExistingOutput() throws IOException {
    Path in = writeMixture("in.wav", 16000, 1, 1, WavEncoding.PCM_S16);
    byte[] original = Files.readAllBytes(in);
    Run same = run("audio", in.toString(), in.toString(), "--force", "--quiet");
    assertEquals(1, same.code());
    assertTrue(same.err().contains("same file"), same.err());
    Path existing = dir.resolve("existing.wav");
    Files.writeString(existing, "precious");
    Run exists = run("audio", in.toString(), existing.toString(), "--quiet");
    assertEquals(1, exists.code());
    assertTrue(exists.err().contains("--force"), exists.err());
    assertEquals("precious", Files.readString(existing));
    assertArrayEquals(original, Files.readAllBytes(in));
  }

  @Test
  void badInputsGiveOneLineReasonsAndLeaveNoOutput() throws IOException {
    Path garbage = dir.resolve("garbage.wav");
    Files.write(garbage, "ID3 this is an mp3, honestly".getBytes());
    Path out = dir.resolve("never.wav");
    Run r = run("audio", garbage.toString(), out.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("denoise: ") && r.err().contains("garbage.wav")
        && r.err().trim().lines().count() == 1, r.err());
    assertFalse(Files.exists(out));
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")),
          "no temporary file left");
    }
    Run missing = run("audio", dir.resolve("missing.wav").toString(), out.toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("no such file"), missing.err());
    Run neural = run("audio", garbage.toString(), out.toString(), "--method", "neural");
    assertEquals(1, neural.code());
    assertTrue(neural.err().contains("garbage.wav"), neural.err());
    Run badMix = run("audio", garbage.toString(), out.toString(), "--mix", "3");
    assertEquals(2, badMix.code());
    assertTrue(badMix.err().contains("mix must be in [0, 1]"), badMix.err());
    for (String warmUp : new String[] {"-1", "6", "NaN"}) {
      Run badWarmUp = run("audio", garbage.toString(), out.toString(), "--warm-up", warmUp);
      assertEquals(2, badWarmUp.code(), warmUp);
      assertTrue(badWarmUp.err().contains("--warm-up must be between 0 and 5"), badWarmUp.err());
    }
    assertFalse(Files.exists(out));
  }

  @Test
  void evalAudioPrintsAllMetricsAndJson() throws IOException {
    Path noisy = writeMixture("noisy.wav", 16000, 1, 3, WavEncoding.PCM_S16);
    Path clean = dir.resolve("clean.wav");
    WavFiles.write(clean, AudioClip.mono(16000, SpeechLikeSignal.speech(16000, 3, 10)));
    Run table = run("eval-audio", "--clean", clean.toString(), "--test", noisy.toString());
    assertEquals(0, table.code(), table.err());
    for (String metric : new String[] {"SI-SDR", "SNR", "segSNR", "STOI"}) {
      assertTrue(table.out().contains(metric), table.out());
    }
    Run json = run("eval-audio", "--clean", clean.toString(), "--test", noisy.toString(), "--json");
    Matcher m = Pattern.compile("\"si_sdr_db\": (-?[0-9.]+)").matcher(json.out());
    assertTrue(m.find(), json.out());
    assertEquals(5.0, Double.parseDouble(m.group(1)), 0.2, "mixture was made at 5 dB");
    Run self = run("eval-audio", "--clean", clean.toString(), "--test", clean.toString(), "--json");
    assertTrue(self.out().contains("\"Infinity\""), self.out());
  }

  @Test
  void benchPhotoTilingPrintsBothTilingsAndRefusesBadSizes() {
    Run r = run("bench", "--photo-tiling", "400x300", "--rounds", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("768, mirror every side") && r.out().contains("time ratio"),
        r.out());
    Run bad = run("bench", "--photo-tiling", "400by300");
    assertTrue(bad.code() != 0 && bad.err().contains("WIDTHxHEIGHT"), bad.err());
  }

  @Test
  void benchReportsEveryMethodBelowTheFrameDuration() {
    Run r = run("bench", "--json", "--rounds", "3", "--frames", "200", "--image-size", "64");
    assertEquals(0, r.code(), r.err());
    for (String method : new String[] {"mmse-lsa", "wiener", "specsub", "neural-float32",
        "neural-int8"}) {
      Matcher m = Pattern.compile("\"method\": \"" + method + "\", \"us_per_frame\": ([0-9.]+)")
          .matcher(r.out());
      assertTrue(m.find(), r.out());
      double micros = Double.parseDouble(m.group(1));
      // Sanity only (not a speed target): a frame must cost something and less than real time.
      assertTrue(micros > 0 && micros < 10_000, method + " " + micros);
    }
    // One row per bundled voice model besides the shipped RNNoise-style pair (U-Net, CRN).
    for (String name : dev.denoise.tflite.VoiceModels.bundled()) {
      if (!name.startsWith("rnnoise")) {
        assertTrue(r.out().contains("\"method\": \"neural-" + name + "\""), r.out());
      }
    }
    for (String method : new String[] {"nlm", "bm3d", "wavelet"}) {
      Matcher m = Pattern.compile("\"method\": \"" + method + "\", \"mp_per_s\": ([0-9.]+)")
          .matcher(r.out());
      assertTrue(m.find(), r.out());
      assertTrue(Double.parseDouble(m.group(1)) > 0, method + ": " + r.out());
    }
  }
}
