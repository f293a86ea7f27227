package dev.denoise.core.audio.wav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Write → read round trips for every encoding × 1, 2 and 6 channels, on seeded data. */
class WavRoundTripTest {
  /** Odd, so mono 8/24-bit files need the data chunk's pad byte. */
  private static final int FRAMES = 1001;
  private static final int RATE = 44100;
  private static final long SEED = 20261121L;

  @TempDir Path dir;

  static Stream<Arguments> grid() {
    return Arrays.stream(WavEncoding.values())
        .flatMap(e -> Stream.of(1, 2, 6).map(c -> Arguments.of(e, c)));
  }

  static Stream<Arguments> integerGrid() {
    return grid().filter(a -> !((WavEncoding) a.get()[0]).isFloat());
  }

  static Stream<Arguments> floatGrid() {
    return grid().filter(a -> ((WavEncoding) a.get()[0]).isFloat());
  }

  @ParameterizedTest(name = "{0} x {1} ch")
  @MethodSource("integerGrid")
  void integersSurviveExactlyAndBytesMatchAnIndependentEncoder(WavEncoding enc, int channels)
      throws IOException {
    int[] ints = TestWavBytes.randomInts(enc, FRAMES * channels, rnd(enc, channels));
    Path file = dir.resolve("ints.wav");
    try (WavWriter w = WavWriter.create(file, WavFormat.of(RATE, channels, enc))) {
      w.writeInts(ints, 0, 400);
      w.writeInts(ints, 400 * channels, FRAMES - 400);
      w.commit();
    }
    byte[] bytes = Files.readAllBytes(file);
    byte[] expectedData = TestWavBytes.intSamples(enc, ints);
    int dataStart = dataStart(bytes);
    assertArrayEquals(expectedData,
        Arrays.copyOfRange(bytes, dataStart, dataStart + expectedData.length));
    assertEquals(bytes.length - 8, SampleCodec.int32(bytes, 4), "RIFF size");
    assertEquals(expectedData.length, SampleCodec.int32(bytes, dataStart - 4), "data size");
    assertEquals(expectedData.length & 1, bytes.length - dataStart - expectedData.length,
        "pad byte present exactly when the data size is odd");

    try (WavReader r = WavReader.open(file)) {
      assertEquals(WavFormat.of(RATE, channels, enc).withFrameCount(FRAMES), r.format());
      int[] back = new int[ints.length];
      assertEquals(FRAMES, r.readInts(back, 0, FRAMES));
      assertEquals(-1, r.readInts(back, 0, 1));
      assertArrayEquals(ints, back);
      assertFalse(r.truncated());
    }
    float[] floats = TestWavBytes.readAllFloats(Files.newInputStream(file));
    for (int i = 0; i < ints.length; i++) {
      float expected = (float) (ints[i] / Math.pow(2, enc.bitsPerSample() - 1));
      assertEquals(expected, floats[i], 0f, "sample " + i);
    }
  }

  @ParameterizedTest(name = "{0} x {1} ch")
  @MethodSource("integerGrid")
  void intToFloatToIntIsExact(WavEncoding enc, int channels) throws IOException {
    int[] ints = TestWavBytes.randomInts(enc, FRAMES * channels, rnd(enc, channels));
    if (enc == WavEncoding.PCM_S32) {
      // A float holds 24 significant bits: keep the ints it can carry (see WavEncoding).
      for (int i = 0; i < ints.length; i++) {
        ints[i] &= 0xFFFFFF00;
      }
    }
    float[] floats = new float[ints.length];
    for (int i = 0; i < ints.length; i++) {
      floats[i] = enc.toFloat(ints[i]);
      assertEquals(ints[i], enc.fromFloat(floats[i]), "value " + ints[i]);
    }
    Path file = dir.resolve("floats.wav");
    try (WavWriter w = WavWriter.create(file, WavFormat.of(RATE, channels, enc))) {
      w.write(floats, 0, FRAMES);
      w.commit();
    }
    try (WavReader r = WavReader.open(file)) {
      int[] back = new int[ints.length];
      assertEquals(FRAMES, r.readInts(back, 0, FRAMES));
      assertArrayEquals(ints, back);
    }
    assertArrayEquals(floats, TestWavBytes.readAllFloats(Files.newInputStream(file)));
  }

  @ParameterizedTest(name = "{0} x {1} ch")
  @MethodSource("grid")
  void deinterleavedAndMonoReadsMatchInterleaved(WavEncoding enc, int channels)
      throws IOException {
    SplittableRandom rnd = rnd(enc, channels);
    float[][] planes = new float[channels][FRAMES];
    for (float[] p : planes) {
      for (int i = 0; i < FRAMES; i++) {
        p[i] = enc.isFloat() ? (float) (rnd.nextDouble(-4, 4)) : (float) rnd.nextDouble(-1, 1 - Math.pow(2, 1 - enc.bitsPerSample()));
      }
    }
    Path file = dir.resolve("planes.wav");
    try (WavWriter w = WavWriter.create(file, WavFormat.of(RATE, channels, enc))) {
      w.writeDeinterleaved(planes, 0, 500);
      w.writeDeinterleaved(planes, 500, FRAMES - 500);
      assertEquals(FRAMES, w.framesWritten());
      w.commit();
    }
    float[] interleaved = TestWavBytes.readAllFloats(Files.newInputStream(file));
    assertEquals(FRAMES * channels, interleaved.length);
    float lsb = enc.isFloat() ? 0f : (float) Math.pow(2, 1 - enc.bitsPerSample());
    float[][] back = new float[channels][FRAMES];
    float[] mono = new float[FRAMES];
    try (WavReader r = WavReader.open(file)) {
      assertEquals(FRAMES, r.readDeinterleaved(back, 0, FRAMES));
    }
    try (WavReader r = WavReader.open(file)) {
      int n = 0;
      int k;
      while ((k = r.readMono(mono, n, Math.min(333, FRAMES - n))) > 0) {
        n += k;
      }
      assertEquals(FRAMES, n);
    }
    for (int i = 0; i < FRAMES; i++) {
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        assertEquals(interleaved[i * channels + c], back[c][i], 0f);
        // Quantization error of the writer: at most half an LSB (float32 stores exactly).
        assertEquals(planes[c][i], back[c][i], lsb / 2 + 1e-7f * Math.abs(planes[c][i]));
        sum += back[c][i];
      }
      assertEquals(sum / channels, mono[i], 1e-6);
    }
  }

  @ParameterizedTest(name = "{0} x {1} ch")
  @MethodSource("floatGrid")
  void floatEncodingsStoreValuesExactlyWithoutClipping(WavEncoding enc, int channels)
      throws IOException {
    SplittableRandom rnd = rnd(enc, channels);
    float[] x = new float[FRAMES * channels];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 3);
    }
    x[0] = Float.MIN_VALUE;
    x[1] = -0.0f;
    x[2] = 1e30f;
    Path file = dir.resolve("float.wav");
    try (WavWriter w = WavWriter.create(file, WavFormat.of(RATE, channels, enc))) {
      w.write(x, 0, FRAMES);
      w.commit();
    }
    byte[] bytes = Files.readAllBytes(file);
    int dataStart = dataStart(bytes);
    byte[] expected = TestWavBytes.floatSamples(enc, x);
    assertArrayEquals(expected, Arrays.copyOfRange(bytes, dataStart, bytes.length));
    float[] back = TestWavBytes.readAllFloats(new ByteArrayInputStream(bytes));
    assertArrayEquals(x, back);
    assertTrue(Float.floatToRawIntBits(back[1]) == Float.floatToRawIntBits(-0.0f), "-0 kept");
  }

  @ParameterizedTest(name = "{0} x {1} ch")
  @MethodSource("grid")
  void headerDescribesTheFormat(WavEncoding enc, int channels) throws IOException {
    Path file = dir.resolve("h.wav");
    try (WavWriter w = WavWriter.create(file, WavFormat.of(RATE, channels, enc))) {
      w.write(new float[3 * channels], 0, 3);
      w.commit();
    }
    byte[] b = Files.readAllBytes(file);
    boolean extensible = channels > 2 || (!enc.isFloat() && enc.bitsPerSample() > 16);
    int expectedTag = extensible ? 0xFFFE : enc.isFloat() ? 3 : 1;
    assertEquals("RIFF", new String(b, 0, 4, "ISO-8859-1"));
    assertEquals("WAVE", new String(b, 8, 4, "ISO-8859-1"));
    assertEquals(expectedTag, SampleCodec.uint16(b, 20));
    assertEquals(channels, SampleCodec.uint16(b, 22));
    assertEquals(RATE, SampleCodec.int32(b, 24));
    assertEquals(RATE * channels * enc.bytesPerSample(), SampleCodec.int32(b, 28), "byte rate");
    assertEquals(channels * enc.bytesPerSample(), SampleCodec.uint16(b, 32), "block align");
    assertEquals(enc.bitsPerSample(), SampleCodec.uint16(b, 34));
    String text = new String(b, "ISO-8859-1");
    assertEquals(enc.isFloat(), text.contains("fact"), "fact chunk for float only");
    if (enc.isFloat()) {
      int fact = text.indexOf("fact");
      assertEquals(3, SampleCodec.int32(b, fact + 8), "fact sample frames");
    }
  }

  /** Offset of the first data byte, found by walking chunks (an independent parser). */
  static int dataStart(byte[] b) {
    int p = 12;
    while (true) {
      String id = new String(b, p, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      int size = SampleCodec.int32(b, p + 4);
      if (id.equals("data")) {
        return p + 8;
      }
      p += 8 + size + (size & 1);
    }
  }

  private static SplittableRandom rnd(WavEncoding enc, int channels) {
    return new SplittableRandom(SEED + 31L * enc.ordinal() + channels);
  }
}
