package dev.denoise.core.audio.wav;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Builds WAV bytes by hand, independently of the production writer, so tests can describe odd
 * layouts chunk by chunk and check the writer's bytes against a second implementation.
 */
final class TestWavBytes {
  static final int TAG_PCM = 1;
  static final int TAG_FLOAT = 3;
  static final int TAG_EXTENSIBLE = 0xFFFE;

  private TestWavBytes() {}

  /** A 16-byte fmt body (no cbSize). */
  static byte[] fmt(int tag, int channels, int sampleRate, int bitsPerSample) {
    int blockAlign = channels * ((bitsPerSample + 7) / 8);
    return new Le()
        .u16(tag).u16(channels).u32(sampleRate).u32((long) sampleRate * blockAlign)
        .u16(blockAlign).u16(bitsPerSample).bytes();
  }

  /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt body with a standard PCM/float subformat GUID. */
  static byte[] fmtExtensible(
      int channels, int sampleRate, int containerBits, int validBits, int mask, int subTag) {
    return new Le()
        .raw(fmt(TAG_EXTENSIBLE, channels, sampleRate, containerBits))
        .u16(22).u16(validBits).u32(mask & 0xFFFFFFFFL).u16(subTag)
        .raw(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38,
            (byte) 0x9B, 0x71})
        .bytes();
  }

  /** A chunk with its true size and, for odd sizes, the pad byte. */
  static byte[] chunk(String id, byte[] body) {
    Le le = new Le().ascii(id).u32(body.length).raw(body);
    if ((body.length & 1) != 0) {
      le.u8(0);
    }
    return le.bytes();
  }

  /** A chunk header declaring {@code declaredSize} followed by {@code body} as is, no padding. */
  static byte[] rawChunk(String id, long declaredSize, byte[] body) {
    return new Le().ascii(id).u32(declaredSize).raw(body).bytes();
  }

  /** "RIFF", the true size, "WAVE", then the chunks. */
  static byte[] riff(byte[]... chunks) {
    Le body = new Le().ascii("WAVE");
    for (byte[] c : chunks) {
      body.raw(c);
    }
    byte[] b = body.bytes();
    return new Le().ascii("RIFF").u32(b.length).raw(b).bytes();
  }

  /** The fmt body this package's reader maps to {@code encoding}, plain (non-extensible). */
  static byte[] plainFmt(WavEncoding encoding, int channels, int sampleRate) {
    return fmt(encoding.isFloat() ? TAG_FLOAT : TAG_PCM, channels, sampleRate,
        encoding.bitsPerSample());
  }

  /** Little-endian sample bytes for signed integers (U8: value + 128). */
  static byte[] intSamples(WavEncoding encoding, int[] values) {
    Le le = new Le();
    for (int v : values) {
      switch (encoding) {
        case PCM_U8: le.u8(v + 128); break;
        case PCM_S16: le.u16(v & 0xFFFF); break;
        case PCM_S24: le.u8(v & 0xFF).u16((v >> 8) & 0xFFFF); break;
        case PCM_S32: le.u32(v & 0xFFFFFFFFL); break;
        default: throw new IllegalArgumentException(encoding.toString());
      }
    }
    return le.bytes();
  }

  /** Little-endian sample bytes for floats in a float encoding. */
  static byte[] floatSamples(WavEncoding encoding, float[] values) {
    Le le = new Le();
    for (float v : values) {
      if (encoding == WavEncoding.FLOAT32) {
        le.u32(Float.floatToRawIntBits(v) & 0xFFFFFFFFL);
      } else {
        long bits = Double.doubleToRawLongBits(v);
        le.u32(bits & 0xFFFFFFFFL).u32(bits >>> 32);
      }
    }
    return le.bytes();
  }

  /** Seeded integers over the encoding's full range, including both extremes and zero. */
  static int[] randomInts(WavEncoding encoding, int n, SplittableRandom rnd) {
    int[] v = new int[n];
    long min = encoding.minInt();
    long max = encoding.maxInt();
    for (int i = 0; i < n; i++) {
      v[i] = (int) rnd.nextLong(min, max + 1);
    }
    if (n >= 3) {
      v[0] = (int) min;
      v[1] = (int) max;
      v[2] = 0;
    }
    return v;
  }

  static byte[] concat(byte[]... parts) {
    Le le = new Le();
    for (byte[] p : parts) {
      le.raw(p);
    }
    return le.bytes();
  }

  /** Little-endian byte builder. */
  static final class Le {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Le u8(int v) {
      out.write(v);
      return this;
    }

    Le u16(int v) {
      out.write(v);
      out.write(v >> 8);
      return this;
    }

    Le u32(long v) {
      for (int i = 0; i < 4; i++) {
        out.write((int) (v >> (8 * i)));
      }
      return this;
    }

    Le ascii(String s) {
      return raw(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    Le raw(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  /** An adversarial stream that hands out one byte per read call and skips nothing. */
  static final class OneByteAtATime extends InputStream {
    private final byte[] data;
    private int pos;

    OneByteAtATime(byte[] data) {
      this.data = data;
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
      int c = read();
      if (c < 0) {
        return -1;
      }
      b[off] = (byte) c;
      return 1;
    }

    @Override
    public long skip(long n) {
      return 0;
    }
  }

  /** Consumes {@code data} as a WAV stream until -1, returning all frames as floats. */
  static float[] readAllFloats(InputStream in) throws IOException {
    try (WavReader r = WavReader.open(in)) {
      int ch = r.format().channels();
      float[] chunk = new float[5 * ch];
      float[] all = new float[0];
      int total = 0;
      int n;
      while ((n = r.read(chunk, 0, 5)) > 0) {
        if ((total + n) * ch > all.length) {
          all = java.util.Arrays.copyOf(all, Math.max(2 * all.length, (total + n) * ch));
        }
        System.arraycopy(chunk, 0, all, total * ch, n * ch);
        total += n;
      }
      return java.util.Arrays.copyOf(all, total * ch);
    }
  }
}
