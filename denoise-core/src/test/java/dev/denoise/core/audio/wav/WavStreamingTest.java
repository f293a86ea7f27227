package dev.denoise.core.audio.wav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Constant-memory streaming and the read methods' contracts. */
class WavStreamingTest {
  private static final long HUGE_FRAMES = 200_000_000L;

  @Test
  void streamsTwoHundredMillionFramesWithConstantMemory() throws IOException {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
    long tid = Thread.currentThread().getId();
    float[] chunk = new float[4096];
    long before = threads.getThreadAllocatedBytes(tid);
    double sum = 0;
    long frames = 0;
    try (WavReader r = WavReader.open(new SyntheticU8Stream(HUGE_FRAMES))) {
      assertEquals(WavFormat.UNKNOWN_FRAME_COUNT, r.format().frameCount());
      int n;
      while ((n = r.read(chunk, 0, chunk.length)) > 0) {
        for (int i = 0; i < n; i++) {
          sum += chunk[i];
        }
        frames += n;
      }
      assertEquals(HUGE_FRAMES, r.framesRead());
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertEquals(HUGE_FRAMES, frames);
    // Bytes k & 0xFF read as ((k & 0xFF) - 128) / 128: every 256 frames sum to exactly -1.
    assertEquals(-(double) (HUGE_FRAMES / 256), sum, 0.0);
    assertTrue(allocated < 1 << 20,
        "reading " + HUGE_FRAMES + " frames allocated " + allocated + " bytes");
  }

  @Test
  void endOfDataIsMinusOneEveryTimeAndZeroFramesIsZero() throws IOException {
    try (WavReader r = WavReader.open(new SyntheticU8Stream(10))) {
      float[] x = new float[16];
      assertEquals(0, r.read(x, 0, 0));
      assertEquals(10, r.read(x, 0, 16), "fewer than asked only at the end");
      assertEquals(-1, r.read(x, 0, 16));
      assertEquals(-1, r.readMono(x, 0, 16));
      assertEquals(0, r.read(x, 0, 0));
      assertEquals(10, r.framesRead());
    }
  }

  @Test
  void boundsAreCheckedWithTheNumbers() throws IOException {
    byte[] wav = TestWavBytes.riff(
        TestWavBytes.chunk("fmt ", TestWavBytes.fmt(TestWavBytes.TAG_PCM, 2, 8000, 16)),
        TestWavBytes.chunk("data", new byte[40]));
    try (WavReader r = WavReader.open(new ByteArrayInputStream(wav))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> r.read(new float[10], 8, 2));
      assertEquals("interleaved too short: length=10 offset=8 frames=2 samplesPerFrame=2",
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> r.readDeinterleaved(new float[1][4], 0, 4));
      assertEquals("need 2 channel arrays, got 1", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> r.readMono(new float[4], -1, 1));
      assertThrows(IllegalArgumentException.class, () -> r.readInts(null, 0, 1));
      assertEquals(0, r.framesRead(), "a rejected call reads nothing");
      assertEquals(10, r.readInts(new int[20], 0, 10));
    }
  }

  @Test
  void readIntsNeedsAnIntegerEncodingAndClosedReadersRefuse() throws IOException {
    byte[] wav = TestWavBytes.riff(
        TestWavBytes.chunk("fmt ", TestWavBytes.fmt(TestWavBytes.TAG_FLOAT, 1, 8000, 32)),
        TestWavBytes.chunk("data", new byte[8]));
    WavReader r = WavReader.open(new ByteArrayInputStream(wav));
    assertThrows(IllegalStateException.class, () -> r.readInts(new int[2], 0, 2));
    r.close();
    r.close();
    assertThrows(IllegalStateException.class, () -> r.read(new float[2], 0, 2));
  }

  /**
   * A mono 8-bit WAV of {@code frames} frames with data size 0xFFFFFFFF, generated on the fly:
   * data byte k is {@code k & 0xFF}. Holds only a 64 KiB pattern.
   */
  static final class SyntheticU8Stream extends InputStream {
    private static final int PATTERN = 1 << 16;
    private final byte[] header = TestWavBytes.riff(
        TestWavBytes.chunk("fmt ", TestWavBytes.fmt(TestWavBytes.TAG_PCM, 1, 48000, 8)),
        TestWavBytes.rawChunk("data", 0xFFFFFFFFL, new byte[0]));
    private final byte[] pattern = new byte[PATTERN + 256];
    private final long total;
    private long pos;

    SyntheticU8Stream(long frames) {
      this.total = header.length + frames;
      for (int i = 0; i < pattern.length; i++) {
        pattern[i] = (byte) i;
      }
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= total) {
        return -1;
      }
      int n;
      if (pos < header.length) {
        n = Math.min(len, header.length - (int) pos);
        System.arraycopy(header, (int) pos, b, off, n);
      } else {
        long k = pos - header.length;
        n = (int) Math.min(Math.min(len, PATTERN), total - pos);
        System.arraycopy(pattern, (int) (k & 0xFF), b, off, n);
      }
      pos += n;
      return n;
    }
  }
}
