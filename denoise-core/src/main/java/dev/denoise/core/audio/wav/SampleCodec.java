package dev.denoise.core.audio.wav;

/**
 * Converts between little-endian sample bytes and floats or signed integers. Bounds are the
 * caller's job (the reader and writer check them at their public boundary).
 */
final class SampleCodec {
  private SampleCodec() {}

  /** {@code 2^(bits-1)}: the integer value of full scale. */
  static double scale(WavEncoding encoding) {
    return (double) (1L << (encoding.bitsPerSample() - 1));
  }

  /** {@code 2^(1-bits)}, exact in both float and double. */
  static double inverseScale(WavEncoding encoding) {
    return 1.0 / scale(encoding);
  }

  static int quantize(float sample, WavEncoding encoding) {
    return quantize(sample, scale(encoding), encoding.minInt(), encoding.maxInt());
  }

  /** Nearest integer to {@code sample · scale} (ties up, NaN → 0), clipped to [min, max]. */
  private static int quantize(float sample, double scale, int min, int max) {
    long v = Math.round(sample * scale);
    return v < min ? min : v > max ? max : (int) v;
  }

  static void decode(
      WavEncoding encoding, byte[] src, int srcPos, float[] dst, int dstPos, int samples) {
    switch (encoding) {
      case FLOAT32:
        for (int i = 0; i < samples; i++, srcPos += 4) {
          dst[dstPos + i] = Float.intBitsToFloat(int32(src, srcPos));
        }
        return;
      case FLOAT64:
        for (int i = 0; i < samples; i++, srcPos += 8) {
          long bits = (int32(src, srcPos) & 0xFFFFFFFFL) | ((long) int32(src, srcPos + 4) << 32);
          dst[dstPos + i] = (float) Double.longBitsToDouble(bits);
        }
        return;
      case PCM_S32:
        // Through double so the rounding to float happens once, to nearest.
        for (int i = 0; i < samples; i++, srcPos += 4) {
          dst[dstPos + i] = (float) (int32(src, srcPos) * (1.0 / 2147483648.0));
        }
        return;
      default:
        float inv = (float) inverseScale(encoding);
        int bytes = encoding.bytesPerSample();
        for (int i = 0; i < samples; i++, srcPos += bytes) {
          dst[dstPos + i] = intAt(encoding, src, srcPos) * inv;
        }
    }
  }

  static void decodeInts(
      WavEncoding encoding, byte[] src, int srcPos, int[] dst, int dstPos, int samples) {
    int bytes = encoding.bytesPerSample();
    for (int i = 0; i < samples; i++, srcPos += bytes) {
      dst[dstPos + i] = intAt(encoding, src, srcPos);
    }
  }

  static void encode(
      WavEncoding encoding, float[] src, int srcPos, byte[] dst, int dstPos, int samples) {
    switch (encoding) {
      case FLOAT32:
        for (int i = 0; i < samples; i++, dstPos += 4) {
          putInt32(dst, dstPos, Float.floatToRawIntBits(src[srcPos + i]));
        }
        return;
      case FLOAT64:
        for (int i = 0; i < samples; i++, dstPos += 8) {
          long bits = Double.doubleToRawLongBits(src[srcPos + i]);
          putInt32(dst, dstPos, (int) bits);
          putInt32(dst, dstPos + 4, (int) (bits >>> 32));
        }
        return;
      default:
        int bytes = encoding.bytesPerSample();
        double scale = scale(encoding);
        int min = encoding.minInt();
        int max = encoding.maxInt();
        for (int i = 0; i < samples; i++, dstPos += bytes) {
          putInt(encoding, dst, dstPos, quantize(src[srcPos + i], scale, min, max));
        }
    }
  }

  static void encodeInts(
      WavEncoding encoding, int[] src, int srcPos, byte[] dst, int dstPos, int samples) {
    int bytes = encoding.bytesPerSample();
    for (int i = 0; i < samples; i++, dstPos += bytes) {
      putInt(encoding, dst, dstPos, src[srcPos + i]);
    }
  }

  private static int intAt(WavEncoding encoding, byte[] b, int p) {
    switch (encoding) {
      case PCM_U8:
        return (b[p] & 0xFF) - 128;
      case PCM_S16:
        return (b[p] & 0xFF) | (b[p + 1] << 8);
      case PCM_S24:
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | (b[p + 2] << 16);
      case PCM_S32:
        return int32(b, p);
      default:
        throw new IllegalStateException(encoding + " is not an integer encoding");
    }
  }

  private static void putInt(WavEncoding encoding, byte[] b, int p, int v) {
    switch (encoding) {
      case PCM_U8:
        b[p] = (byte) (v + 128);
        return;
      case PCM_S16:
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >> 8);
        return;
      case PCM_S24:
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >> 8);
        b[p + 2] = (byte) (v >> 16);
        return;
      case PCM_S32:
        putInt32(b, p, v);
        return;
      default:
        throw new IllegalStateException(encoding + " is not an integer encoding");
    }
  }

  static int int32(byte[] b, int p) {
    return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | (b[p + 3] << 24);
  }

  static int uint16(byte[] b, int p) {
    return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
  }

  static void putInt32(byte[] b, int p, int v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >> 8);
    b[p + 2] = (byte) (v >> 16);
    b[p + 3] = (byte) (v >> 24);
  }

  static void putInt16(byte[] b, int p, int v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >> 8);
  }
}
