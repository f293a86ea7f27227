package dev.denoise.core.audio.wav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.io.AtomicOutputFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quantization, atomic output and the writer's contracts. */
class WavWriterTest {
  @TempDir Path dir;

  @Test
  void sixteenBitRoundsToNearestAndClipsToFullScale() throws IOException {
    float lsb = 1f / 32768;
    float[] x = {1.5f, -1.5f, Float.NaN, 0.5f * lsb, -0.5f * lsb, 1f, -1f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.49f * lsb, 100.51f * lsb};
    int[] expected = {32767, -32768, 0, 1, 0, 32767, -32768, 32767, -32768, 0, 101};
    assertArrayEquals(expected, writeAndReadInts(WavEncoding.PCM_S16, x));
  }

  @Test
  void otherIntegerEncodingsClipAtTheirFullScale() throws IOException {
    float[] x = {-2f, -1f, 0f, 2f};
    assertArrayEquals(new int[] {-128, -128, 0, 127}, writeAndReadInts(WavEncoding.PCM_U8, x));
    assertArrayEquals(new int[] {-8388608, -8388608, 0, 8388607},
        writeAndReadInts(WavEncoding.PCM_S24, x));
    assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MIN_VALUE, 0, Integer.MAX_VALUE},
        writeAndReadInts(WavEncoding.PCM_S32, x));
  }

  @Test
  void closeWithoutCommitLeavesNoFileBehind() throws IOException {
    Path target = dir.resolve("out.wav");
    assertThrows(IllegalStateException.class, () -> {
      try (WavWriter w = WavWriter.create(target, WavFormat.pcm16(8000, 1))) {
        w.write(new float[100], 0, 100);
        throw new IllegalStateException("job failed half way");
      }
    });
    assertFalse(Files.exists(target));
    assertEquals(0, countFiles(), "the temporary file is gone too");
  }

  @Test
  void anUncommittedFileReadsAsAStreamOfUnknownLength() throws IOException {
    AtomicOutputFile out = AtomicOutputFile.create(dir.resolve("out.wav"));
    try (WavWriter w = WavWriter.create(out, WavFormat.pcm16(8000, 2))) {
      w.write(new float[2 * 123], 0, 123);
      w.write(new float[2 * 200], 0, 100); // Flushed to the channel by each call.
      try (WavReader r = WavReader.open(out.temporaryPath())) {
        assertEquals(223, r.format().frameCount(), "a crashed writer's file is still readable");
        assertFalse(r.truncated());
      }
    }
  }

  @Test
  void refusesAnExistingTargetUnlessToldAndNeverTheInput() throws IOException {
    Path input = dir.resolve("in.wav");
    WavFiles.write(input, AudioClip.mono(8000, new float[10]), WavEncoding.PCM_S16);
    byte[] before = Files.readAllBytes(input);
    assertThrows(FileAlreadyExistsException.class,
        () -> WavWriter.create(input, WavFormat.pcm16(8000, 1)));
    IOException e = assertThrows(IOException.class, () -> WavWriter.create(
        AtomicOutputFile.create(input, true, input), WavFormat.pcm16(8000, 1)));
    assertTrue(e.getMessage().contains("same file as the input"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(input));
    try (WavWriter w = WavWriter.create(
        AtomicOutputFile.create(input, true), WavFormat.of(8000, 1, WavEncoding.FLOAT32))) {
      w.write(new float[] {0.25f}, 0, 1);
      w.commit();
    }
    assertArrayEquals(new float[] {0.25f}, WavFiles.read(input).channel(0));
  }

  @Test
  void writeIntsRejectsOutOfRangeValuesBeforeWritingAny() throws IOException {
    try (WavWriter w = WavWriter.create(dir.resolve("o.wav"), WavFormat.pcm16(8000, 1))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> w.writeInts(new int[] {1, 2, 40000}, 0, 3));
      assertEquals("sample 40000 at index 2 is outside PCM_S16 range [-32768, 32767]",
          e.getMessage());
      assertEquals(0, w.framesWritten());
      IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
          () -> w.write(new float[4], 2, 3));
      assertEquals("interleaved too short: length=4 offset=2 frames=3 samplesPerFrame=1",
          range.getMessage());
    }
    try (WavWriter w = WavWriter.create(
        dir.resolve("f.wav"), WavFormat.of(8000, 1, WavEncoding.FLOAT32))) {
      assertThrows(IllegalStateException.class, () -> w.writeInts(new int[1], 0, 1));
    }
  }

  @Test
  void channelMaskIsKeptAndNoWritesAfterCommit() throws IOException {
    Path file = dir.resolve("51.wav");
    WavFormat format = WavFormat.of(48000, 6, WavEncoding.PCM_S24).withChannelMask(0x3F);
    WavWriter w = WavWriter.create(file, format);
    w.write(new float[6], 0, 1);
    w.commit();
    assertThrows(IllegalStateException.class, () -> w.write(new float[6], 0, 1));
    assertThrows(IllegalStateException.class, w::commit);
    w.close();
    try (WavReader r = WavReader.open(file)) {
      assertEquals(format.withFrameCount(1), r.format());
    }
  }

  @Test
  void aFormatTheHeaderCannotHoldIsRefusedAndLeavesNothing() throws IOException {
    WavFormat tooFast = WavFormat.of(Integer.MAX_VALUE, 3, WavEncoding.FLOAT64);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WavWriter.create(dir.resolve("x.wav"), tooFast));
    assertEquals("byte rate of 2147483647 Hz x 24 bytes per frame does not fit the fmt chunk's"
        + " 32 bits", e.getMessage());
    assertEquals(0, countFiles());
  }

  private int[] writeAndReadInts(WavEncoding enc, float[] x) throws IOException {
    Path file = Files.createTempFile(dir, "q", ".wav");
    Files.delete(file);
    try (WavWriter w = WavWriter.create(file, WavFormat.of(8000, 1, enc))) {
      w.write(x, 0, x.length);
      w.commit();
    }
    try (WavReader r = WavReader.open(file)) {
      int[] back = new int[x.length];
      assertEquals(x.length, r.readInts(back, 0, x.length));
      return back;
    }
  }

  private long countFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
