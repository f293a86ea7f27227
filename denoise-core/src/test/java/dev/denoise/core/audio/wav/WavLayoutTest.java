package dev.denoise.core.audio.wav;

import static dev.denoise.core.audio.wav.TestWavBytes.TAG_FLOAT;
import static dev.denoise.core.audio.wav.TestWavBytes.TAG_PCM;
import static dev.denoise.core.audio.wav.TestWavBytes.chunk;
import static dev.denoise.core.audio.wav.TestWavBytes.concat;
import static dev.denoise.core.audio.wav.TestWavBytes.fmt;
import static dev.denoise.core.audio.wav.TestWavBytes.fmtExtensible;
import static dev.denoise.core.audio.wav.TestWavBytes.intSamples;
import static dev.denoise.core.audio.wav.TestWavBytes.rawChunk;
import static dev.denoise.core.audio.wav.TestWavBytes.riff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built layouts: odd chunk orders and sizes, damaged lengths, and the error messages. */
class WavLayoutTest {
  private static final int RATE = 16000;
  /** Stereo 16-bit frames: (0, 1), (-32768, 32767), (100, -100). */
  private static final int[] STEREO = {0, 1, -32768, 32767, 100, -100};
  private static final byte[] STEREO_DATA = intSamples(WavEncoding.PCM_S16, STEREO);
  private static final byte[] STEREO_FMT = fmt(TAG_PCM, 2, RATE, 16);

  @TempDir Path dir;

  @Test
  void skipsListJunkBextAndOddSizedChunksAroundFmt() throws IOException {
    byte[] info = concat("INFO".getBytes(StandardCharsets.US_ASCII),
        chunk("INAM", "odd".getBytes(StandardCharsets.US_ASCII)));
    byte[] wav = riff(
        chunk("LIST", info),
        chunk("JUNK", new byte[27]),
        chunk("fmt ", STEREO_FMT),
        chunk("bext", new byte[603]),
        chunk("fact", new byte[] {3, 0, 0, 0}),
        chunk("data", STEREO_DATA),
        chunk("LIST", info));
    assertStereo(wav, 3);
  }

  @Test
  void readsFmtChunksLargerThanNeeded() throws IOException {
    // 18 bytes with cbSize 0, and 51 bytes (odd, padded) with trailing extension bytes.
    byte[] fmt18 = concat(STEREO_FMT, new byte[] {0, 0});
    assertStereo(riff(chunk("fmt ", fmt18), chunk("data", STEREO_DATA)), 3);
    byte[] fmt51 = concat(STEREO_FMT, new byte[35]);
    Arrays.fill(fmt51, 16, 51, (byte) 0x5A);
    assertStereo(riff(chunk("fmt ", fmt51), chunk("data", STEREO_DATA)), 3);
    byte[] ext70 = concat(fmtExtensible(2, RATE, 16, 16, 3, TAG_PCM), new byte[30]);
    assertStereo(riff(chunk("fmt ", ext70), chunk("data", STEREO_DATA)), 3);
  }

  @Test
  void extensibleCarriesValidBitsAndChannelMask() throws IOException {
    int[] values = {0x7FFFF0, -0x800000, 0x000010};
    byte[] wav = riff(
        chunk("fmt ", fmtExtensible(1, RATE, 24, 20, 0x4, TAG_PCM)),
        chunk("data", intSamples(WavEncoding.PCM_S24, values)));
    try (WavReader r = WavReader.open(new ByteArrayInputStream(wav))) {
      WavFormat f = r.format();
      assertEquals(WavEncoding.PCM_S24, f.encoding());
      assertEquals(20, f.validBitsPerSample());
      assertEquals(0x4, f.channelMask());
      int[] back = new int[3];
      assertEquals(3, r.readInts(back, 0, 3));
      assertArrayEquals(values, back);
    }
    float[] x = {0.5f, -2f, 1e-3f};
    byte[] floatWav = riff(
        chunk("fmt ", fmtExtensible(1, RATE, 32, 32, 0, TAG_FLOAT)),
        chunk("data", TestWavBytes.floatSamples(WavEncoding.FLOAT32, x)));
    assertArrayEquals(x, TestWavBytes.readAllFloats(new ByteArrayInputStream(floatWav)));
  }

  @Test
  void plainPcmWithTwelveBitsUsesASixteenBitContainer() throws IOException {
    byte[] wav = riff(chunk("fmt ", fmt(TAG_PCM, 2, RATE, 12)), chunk("data", STEREO_DATA));
    try (WavReader r = WavReader.open(new ByteArrayInputStream(wav))) {
      assertEquals(WavEncoding.PCM_S16, r.format().encoding());
      assertEquals(12, r.format().validBitsPerSample());
    }
  }

  @Test
  void eightBitIsUnsignedAroundOneTwentyEight() throws IOException {
    byte[] wav = riff(chunk("fmt ", fmt(TAG_PCM, 1, 8000, 8)),
        chunk("data", new byte[] {0, (byte) 128, (byte) 255}));
    assertArrayEquals(new float[] {-1f, 0f, 127f / 128},
        TestWavBytes.readAllFloats(new ByteArrayInputStream(wav)));
  }

  @Test
  void float64IsReadAsNearestFloat() throws IOException {
    byte[] data = new TestWavBytes.Le()
        .u32(Double.doubleToRawLongBits(0.1) & 0xFFFFFFFFL)
        .u32(Double.doubleToRawLongBits(0.1) >>> 32).bytes();
    byte[] wav = riff(chunk("fmt ", fmt(TAG_FLOAT, 1, RATE, 64)), chunk("data", data));
    assertArrayEquals(new float[] {0.1f},
        TestWavBytes.readAllFloats(new ByteArrayInputStream(wav)));
  }

  @Test
  void unknownDataSizeReadsToTheEnd() throws IOException {
    byte[] wav = riff(chunk("fmt ", STEREO_FMT), rawChunk("data", 0xFFFFFFFFL, STEREO_DATA));
    try (WavReader r = WavReader.open(new ByteArrayInputStream(wav))) {
      assertEquals(WavFormat.UNKNOWN_FRAME_COUNT, r.format().frameCount());
    }
    assertStereo(wav, 3);
    try (WavReader r = WavReader.open(write(wav))) {
      assertEquals(3, r.format().frameCount(), "derived from the file size");
      assertFalse(r.truncated());
    }
  }

  @Test
  void zeroDataAndRiffSizesAreUnpatchedPlaceholders() throws IOException {
    byte[] wav = riff(chunk("fmt ", STEREO_FMT), rawChunk("data", 0, STEREO_DATA));
    SampleCodec.putInt32(wav, 4, 0);
    assertStereo(wav, 3);
    SampleCodec.putInt32(wav, 4, wav.length - 8);
    try (WavReader r = WavReader.open(new ByteArrayInputStream(wav))) {
      assertEquals(0, r.format().frameCount(), "a patched RIFF size makes the 0 real");
    }
  }

  @Test
  void truncatedDataChunkYieldsTheWholeFramesPresent() throws IOException {
    // Declares 1000 frames; holds 3 frames and half of a fourth (a crashed recorder).
    byte[] data = concat(STEREO_DATA, new byte[] {1, 2});
    byte[] wav = riff(chunk("fmt ", STEREO_FMT), rawChunk("data", 4000, data));
    try (WavReader r = WavReader.open(new ByteArrayInputStream(wav))) {
      assertEquals(1000, r.format().frameCount(), "a stream reports the declared count");
      assertFalse(r.truncated(), "not known before the end is reached");
      int[] back = new int[2000];
      assertEquals(3, r.readInts(back, 0, 1000));
      assertArrayEquals(STEREO, Arrays.copyOf(back, 6));
      assertEquals(-1, r.readInts(back, 0, 1000));
      assertTrue(r.truncated());
    }
    try (WavReader r = WavReader.open(write(wav))) {
      assertEquals(3, r.format().frameCount(), "a path reports what is there");
      assertTrue(r.truncated(), "known at open for a path");
    }
    assertStereo(wav, 3);
  }

  @Test
  void stopsAtTheDeclaredDataSizeAndDropsAPartialFrame() throws IOException {
    byte[] wav = riff(chunk("fmt ", STEREO_FMT),
        rawChunk("data", 11, concat(STEREO_DATA, new byte[1])),
        chunk("LIST", new byte[20]));
    try (WavReader r = WavReader.open(new ByteArrayInputStream(wav))) {
      assertEquals(2, r.format().frameCount());
      int[] back = new int[8];
      assertEquals(2, r.readInts(back, 0, 4));
      assertEquals(-1, r.readInts(back, 0, 4));
      assertFalse(r.truncated());
    }
  }

  @Test
  void emptyDataChunk() throws IOException {
    byte[] wav = riff(chunk("fmt ", STEREO_FMT), chunk("data", new byte[0]));
    try (WavReader r = WavReader.open(new ByteArrayInputStream(wav))) {
      assertEquals(0, r.format().frameCount());
      assertEquals(-1, r.read(new float[2], 0, 1));
    }
  }

  @Test
  void riffSizeIsNotTrusted() throws IOException {
    byte[] wav = riff(chunk("fmt ", STEREO_FMT), chunk("data", STEREO_DATA));
    SampleCodec.putInt32(wav, 4, 0);
    assertStereo(wav, 3);
  }

  @Test
  void hugeDeclaredChunkSizesAllocateNothing() {
    byte[] wav = riff(chunk("fmt ", STEREO_FMT), rawChunk("LIST", 0xFFFFFFF0L, new byte[8]));
    assertMessage(wav, "no data chunk: input ends at byte 52 inside the 'LIST' chunk that starts"
        + " at byte 36 and declares 4294967280 bytes");
    byte[] fmtHuge = riff(rawChunk("fmt ", 0xFFFFFFFFL, STEREO_FMT));
    assertMessage(fmtHuge, "input ends inside the fmt chunk at byte 12: 16 of 4294967295 bytes");
  }

  @Test
  void messagesNameTheProblemWithNumbers() {
    assertMessage(riff(chunk("fmt ", new byte[12]), chunk("data", STEREO_DATA)),
        "fmt chunk too short: 12 bytes, need 16");
    assertMessage(riff(chunk("fmt ", fmt(0x55, 2, RATE, 16)), chunk("data", STEREO_DATA)),
        "unsupported encoding tag 0x0055 (MPEG Layer 3)");
    assertMessage(riff(chunk("fmt ", fmtExtensible(2, RATE, 16, 16, 3, 0x0002)),
        chunk("data", STEREO_DATA)),
        "unsupported encoding tag 0x0002 (Microsoft ADPCM) in WAVE_FORMAT_EXTENSIBLE");
    byte[] ambisonic = fmtExtensible(2, RATE, 16, 16, 3, TAG_PCM);
    ambisonic[28] = 0x21; // A GUID outside the KSDATAFORMAT_SUBTYPE family.
    ambisonic[29] = 0x07;
    assertMessage(riff(chunk("fmt ", ambisonic), chunk("data", STEREO_DATA)),
        "unsupported WAVE_FORMAT_EXTENSIBLE subformat GUID {00000001-0721-0010-8000-00AA00389B71}");
    assertMessage(riff(chunk("fmt ", fmt(0xFFFE, 2, RATE, 16)), chunk("data", STEREO_DATA)),
        "WAVE_FORMAT_EXTENSIBLE fmt chunk too short: 16 bytes, need 40");
    assertMessage(new byte[] {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 0, 0, 0},
        "not a RIFF file: first bytes 'ID3\\x03'");
    assertMessage(new byte[0], "too short for a RIFF/WAVE header: 0 bytes, need 12");
    assertMessage(new byte[] {'R', 'I', 'F', 'F', 0}, "too short for a RIFF/WAVE header: 5 bytes");
    byte[] rifx = riff();
    rifx[3] = 'X';
    assertMessage(rifx, "big-endian RIFX files are not supported");
    byte[] avi = riff();
    System.arraycopy("AVI ".getBytes(StandardCharsets.US_ASCII), 0, avi, 8, 4);
    assertMessage(avi, "RIFF form type is 'AVI ', not 'WAVE'");
    assertMessage(riff(chunk("data", STEREO_DATA), chunk("fmt ", STEREO_FMT)),
        "data chunk at byte 12 comes before any fmt chunk");
    assertMessage(riff(chunk("fmt ", STEREO_FMT)), "no data chunk: input ends at byte 36");
    assertMessage(riff(chunk("LIST", new byte[4])), "no fmt chunk: input ends at byte 24");
    assertMessage(riff(chunk("fmt ", STEREO_FMT), chunk("fmt ", STEREO_FMT)),
        "second fmt chunk at byte 36");
    assertMessage(riff(chunk("fmt ", fmt(TAG_PCM, 0, RATE, 16))),
        "fmt chunk declares 0 channels");
    assertMessage(riff(chunk("fmt ", fmt(TAG_PCM, 2, 0, 16))), "unsupported sample rate: 0 Hz");
    assertMessage(riff(chunk("fmt ", fmt(TAG_FLOAT, 2, RATE, 16))),
        "unsupported IEEE float bits per sample: 16, need 32 or 64");
    assertMessage(riff(chunk("fmt ", fmt(TAG_PCM, 2, RATE, 40))),
        "unsupported PCM bits per sample: 40");
    byte[] badAlign = fmt(TAG_PCM, 2, RATE, 16);
    badAlign[12] = 3;
    assertMessage(riff(chunk("fmt ", badAlign)),
        "block align 3 bytes does not match 2 channels x 2 bytes per sample");
  }

  @Test
  void readerTakesOwnershipAndClosesTheStreamOnFailure() {
    boolean[] closed = {false};
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[3]) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    assertThrows(WavFormatException.class, () -> WavReader.open(in));
    assertTrue(closed[0]);
  }

  /** Reads {@code wav} by stream, one byte at a time, and by path; all must give the frames. */
  private void assertStereo(byte[] wav, int frames) throws IOException {
    int[] expected = Arrays.copyOf(STEREO, frames * 2);
    for (WavReader r : new WavReader[] {
        WavReader.open(new ByteArrayInputStream(wav)),
        WavReader.open(new TestWavBytes.OneByteAtATime(wav)),
        WavReader.open(write(wav))}) {
      try (r) {
        assertEquals(2, r.format().channels());
        assertEquals(RATE, r.format().sampleRate());
        int[] back = new int[frames * 2 + 2];
        assertEquals(frames, r.readInts(back, 0, frames + 1));
        assertArrayEquals(expected, Arrays.copyOf(back, frames * 2));
        assertEquals(frames, r.framesRead());
      }
    }
  }

  private Path write(byte[] wav) throws IOException {
    Path p = Files.createTempFile(dir, "layout", ".wav");
    Files.write(p, wav);
    return p;
  }

  private static void assertMessage(byte[] wav, String expectedPrefix) {
    for (boolean oneByte : new boolean[] {false, true}) {
      WavFormatException e = assertThrows(WavFormatException.class, () -> {
        try (WavReader r = WavReader.open(oneByte
            ? new TestWavBytes.OneByteAtATime(wav) : new ByteArrayInputStream(wav))) {
          r.read(new float[64], 0, 1);
        }
      });
      assertTrue(e.getMessage().startsWith(expectedPrefix),
          "expected '" + expectedPrefix + "' but got '" + e.getMessage() + "'");
    }
  }
}
