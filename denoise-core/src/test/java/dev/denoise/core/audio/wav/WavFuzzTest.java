package dev.denoise.core.audio.wav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing: 100,000 inputs derived from valid files of every encoding (bit flips, byte
 * overwrites, truncations, chunk-size corruption, chunk insertions, stacks of those) plus pure
 * random bytes, each read to the end through one of three stream behaviours or a file. Only
 * {@link WavFormatException} may come out, every parse must end, and no parse may return more
 * frames than the input has bytes for.
 *
 * <p>Input {@code i} is generated from {@code new SplittableRandom(SEED + i)}; a failure names
 * {@code i}, so it can be replayed alone.
 */
class WavFuzzTest {
  private static final long SEED = 0x5EED_0F_F00DL;
  private static final int INPUTS = 100_000;
  /** One input in this many is written to a file and opened by path. */
  private static final int FILE_EVERY = 250;
  private static final int[] INTERESTING_SIZES = {
    0, 1, 2, 3, 15, 16, 17, 18, 39, 40, 41, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE
  };
  private static final String[] CHUNK_IDS = {"LIST", "JUNK", "fmt ", "data", "fact", "bext"};

  enum Mutation {
    BIT_FLIPS, BYTE_OVERWRITES, TRUNCATION, CHUNK_SIZE, CHUNK_INSERTION, STACKED, RANDOM_BYTES
  }

  @TempDir Path dir;

  @Test
  void onlyWavFormatExceptionComesOutAndEveryParseEnds() {
    List<byte[]> seeds = validSeeds();
    Map<Mutation, int[]> outcomes = new EnumMap<>(Mutation.class);
    for (Mutation m : Mutation.values()) {
      outcomes.put(m, new int[2]);
    }
    Path file = dir.resolve("fuzz.wav");
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < INPUTS; i++) {
        SplittableRandom rnd = new SplittableRandom(SEED + i);
        Mutation m = Mutation.values()[i % Mutation.values().length];
        byte[] input = mutate(m, seeds.get(rnd.nextInt(seeds.size())), rnd);
        boolean accepted;
        try {
          accepted = parseToTheEnd(input, i, rnd, file);
        } catch (Throwable t) {
          throw new AssertionError(String.format("input #%d (%s, %d bytes) threw %s; bytes: %s",
              i, m, input.length, t, hex(input)), t);
        }
        outcomes.get(m)[accepted ? 0 : 1]++;
      }
    }, "a parse did not end");
    int total = 0;
    for (Mutation m : Mutation.values()) {
      int[] o = outcomes.get(m);
      total += o[0] + o[1];
      assertTrue(o[1] > 100, m + " should produce malformed inputs: " + Arrays.toString(o));
      if (m != Mutation.RANDOM_BYTES) {
        assertTrue(o[0] > 100, m + " should leave some inputs readable: " + Arrays.toString(o));
      }
    }
    assertEquals(INPUTS, total);
  }

  /**
   * Opens and reads {@code input} to the end, using a read method and stream behaviour chosen
   * by {@code rnd}. Returns whether it was read without a WavFormatException.
   */
  private static boolean parseToTheEnd(byte[] input, int index, SplittableRandom rnd, Path file)
      throws IOException {
    WavReader reader;
    try {
      if (index % FILE_EVERY == 0) {
        Files.write(file, input);
        reader = WavReader.open(file);
      } else {
        switch (rnd.nextInt(3)) {
          case 0: reader = WavReader.open(new ByteArrayInputStream(input)); break;
          case 1: reader = WavReader.open(new TestWavBytes.OneByteAtATime(input)); break;
          default: reader = WavReader.open(new ErraticStream(input, rnd.split())); break;
        }
      }
    } catch (WavFormatException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "message");
      return false;
    }
    try (WavReader r = reader) {
      WavFormat f = r.format();
      int ch = f.channels();
      int chunk = 1 + rnd.nextInt(7);
      float[] interleaved = new float[chunk * ch];
      int[] ints = new int[chunk * ch];
      float[][] planes = new float[ch][chunk];
      int method = f.encoding().isFloat() ? rnd.nextInt(3) : rnd.nextInt(4);
      long frames = 0;
      while (true) {
        int n;
        switch (method) {
          case 0: n = r.read(interleaved, 0, chunk); break;
          case 1: n = r.readMono(interleaved, 0, chunk); break;
          case 2: n = r.readDeinterleaved(planes, 0, chunk); break;
          default: n = r.readInts(ints, 0, chunk); break;
        }
        if (n < 0) {
          break;
        }
        assertTrue(n > 0 && n <= chunk, "frames per call: " + n);
        frames += n;
        if (frames > input.length / f.bytesPerFrame()) {
          fail("read " + frames + " frames of " + f.bytesPerFrame() + " bytes from "
              + input.length + " input bytes");
        }
      }
      assertEquals(frames, r.framesRead());
      if (f.frameCount() != WavFormat.UNKNOWN_FRAME_COUNT && !r.truncated()) {
        assertTrue(frames <= f.frameCount(), "frames read beyond the declared count");
      }
    }
    return true;
  }

  private static byte[] mutate(Mutation m, byte[] seed, SplittableRandom rnd) {
    byte[] b = seed.clone();
    switch (m) {
      case BIT_FLIPS:
        for (int k = 1 + rnd.nextInt(8); k > 0 && b.length > 0; k--) {
          b[position(b, rnd)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return b;
      case BYTE_OVERWRITES:
        for (int k = 1 + rnd.nextInt(8); k > 0 && b.length > 0; k--) {
          int[] interesting = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF};
          b[position(b, rnd)] = (byte) (rnd.nextBoolean()
              ? interesting[rnd.nextInt(interesting.length)] : rnd.nextInt(256));
        }
        return b;
      case TRUNCATION:
        return Arrays.copyOf(b, rnd.nextInt(b.length + 1));
      case CHUNK_SIZE: {
        List<Integer> sizeFields = chunkSizeFields(b);
        int p = sizeFields.get(rnd.nextInt(sizeFields.size()));
        int old = SampleCodec.int32(b, p);
        int choice = rnd.nextInt(4);
        int v = choice == 0 ? old + 1 : choice == 1 ? old - 1 : choice == 2 ? rnd.nextInt()
            : INTERESTING_SIZES[rnd.nextInt(INTERESTING_SIZES.length)];
        SampleCodec.putInt32(b, p, v);
        return b;
      }
      case CHUNK_INSERTION: {
        List<Integer> sizeFields = chunkSizeFields(b);
        int at = sizeFields.get(rnd.nextInt(sizeFields.size())) - 4;
        at = at == 0 ? 12 : at; // Before a chunk, not before "RIFF".
        String id = rnd.nextInt(4) == 0
            ? new String(randomBytes(rnd, 4), StandardCharsets.ISO_8859_1)
            : CHUNK_IDS[rnd.nextInt(CHUNK_IDS.length)];
        byte[] body = randomBytes(rnd, rnd.nextInt(48));
        long declared = rnd.nextInt(3) == 0
            ? INTERESTING_SIZES[rnd.nextInt(INTERESTING_SIZES.length)] & 0xFFFFFFFFL
            : body.length;
        byte[] chunk = rnd.nextBoolean()
            ? TestWavBytes.chunk(id, body) : TestWavBytes.rawChunk(id, declared, body);
        return TestWavBytes.concat(Arrays.copyOf(b, at), chunk,
            Arrays.copyOfRange(b, at, b.length));
      }
      case STACKED: {
        Mutation[] basic = {Mutation.BIT_FLIPS, Mutation.BYTE_OVERWRITES, Mutation.TRUNCATION,
            Mutation.CHUNK_SIZE, Mutation.CHUNK_INSERTION};
        for (int k = 2 + rnd.nextInt(3); k > 0; k--) {
          Mutation next = basic[rnd.nextInt(basic.length)];
          if (b.length < 12 && next != Mutation.TRUNCATION) {
            continue; // Chunk-aware mutations need at least a RIFF header.
          }
          b = mutate(next, b, rnd);
        }
        return b;
      }
      case RANDOM_BYTES: {
        byte[] r = randomBytes(rnd, rnd.nextInt(300));
        int prefix = rnd.nextInt(3);
        if (prefix > 0 && r.length >= 12) {
          System.arraycopy(seed, 0, r, 0, 12); // Get past the RIFF header now and then.
        }
        if (prefix > 1 && r.length >= 36) {
          System.arraycopy(seed, 12, r, 12, 8); // … and into a fmt chunk.
        }
        return r;
      }
      default:
        throw new IllegalArgumentException(m.toString());
    }
  }

  /** Mostly in the header region, where a change matters most. */
  private static int position(byte[] b, SplittableRandom rnd) {
    return rnd.nextBoolean() ? rnd.nextInt(Math.min(b.length, 72)) : rnd.nextInt(b.length);
  }

  /** Offsets of the RIFF size and of every chunk size reachable by walking the true sizes. */
  private static List<Integer> chunkSizeFields(byte[] b) {
    List<Integer> fields = new ArrayList<>();
    fields.add(4);
    for (int p = 12; p + 8 <= b.length; ) {
      fields.add(p + 4);
      long size = SampleCodec.int32(b, p + 4) & 0xFFFFFFFFL;
      long next = p + 8 + size + (size & 1);
      if (next > b.length) {
        break;
      }
      p = (int) next;
    }
    return fields;
  }

  /**
   * Valid files: every encoding × 1, 2, 3 channels × plain or extensible fmt, with 0 to 24
   * frames and, for some, LIST/JUNK chunks around fmt and data.
   */
  static List<byte[]> validSeeds() {
    SplittableRandom rnd = new SplittableRandom(SEED);
    List<byte[]> seeds = new ArrayList<>();
    for (WavEncoding enc : WavEncoding.values()) {
      for (int ch = 1; ch <= 3; ch++) {
        for (int variant = 0; variant < 2; variant++) {
          int frames = rnd.nextInt(25);
          int subTag = enc.isFloat() ? TestWavBytes.TAG_FLOAT : TestWavBytes.TAG_PCM;
          byte[] fmt = variant == 0
              ? TestWavBytes.plainFmt(enc, ch, 8000 + rnd.nextInt(40000))
              : TestWavBytes.fmtExtensible(ch, 48000, enc.bitsPerSample(), enc.bitsPerSample(),
                  ch == 2 ? 3 : 0, subTag);
          byte[] data = randomBytes(rnd, frames * ch * enc.bytesPerSample());
          List<byte[]> chunks = new ArrayList<>();
          if (variant == 1) {
            chunks.add(TestWavBytes.chunk("JUNK", randomBytes(rnd, 5)));
          }
          chunks.add(TestWavBytes.chunk("fmt ", fmt));
          if (enc.isFloat()) {
            chunks.add(TestWavBytes.chunk("fact", new byte[] {(byte) frames, 0, 0, 0}));
          }
          chunks.add(TestWavBytes.chunk("data", data));
          if (variant == 1) {
            chunks.add(TestWavBytes.chunk("LIST", randomBytes(rnd, 9)));
          }
          seeds.add(TestWavBytes.riff(chunks.toArray(new byte[0][])));
        }
      }
    }
    return seeds;
  }

  private static byte[] randomBytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return b;
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  /** Short reads of random length, an occasional 0 from read, and skips that stop early. */
  static final class ErraticStream extends InputStream {
    private final byte[] data;
    private final SplittableRandom rnd;
    private int pos;

    ErraticStream(byte[] data, SplittableRandom rnd) {
      this.data = data;
      this.rnd = rnd;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= data.length) {
        return -1;
      }
      if (rnd.nextInt(8) == 0) {
        return 0;
      }
      int n = Math.min(1 + rnd.nextInt(len), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      if (n <= 0 || rnd.nextInt(4) == 0) {
        return 0;
      }
      long k = Math.min(1 + rnd.nextLong(n), data.length - pos);
      pos += (int) k;
      return k;
    }
  }
}
