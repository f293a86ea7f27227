package dev.denoise.core.audio.wav;

/**
 * How one sample is stored in the data chunk. All encodings are little-endian.
 *
 * <p>Float samples use full scale at ±1.0. Integer samples map to floats as
 * {@code value / 2^(bits-1)}, where {@code value} is the signed sample (for {@link #PCM_U8} the
 * stored byte minus 128). So the most negative integer is exactly −1.0 and the most positive is
 * {@code 1 − 2^(1-bits)}. Writing a float rounds {@code x · 2^(bits-1)} to the nearest integer
 * (ties toward positive infinity) and clips to the integer range; NaN writes as 0.
 *
 * <p>For 8, 16 and 24 bits every integer survives int → float → int exactly. A float has a
 * 24-bit significand, so {@link #PCM_S32} samples read as floats are rounded to 24 significant
 * bits; use {@link WavReader#readInts} and {@link WavWriter#writeInts} for bit-exact 32-bit work.
 */
public enum WavEncoding {
  /** Unsigned 8-bit PCM, silence at 128. */
  PCM_U8(8, false),
  /** Signed 16-bit PCM. */
  PCM_S16(16, false),
  /** Signed 24-bit PCM, packed in 3 bytes. */
  PCM_S24(24, false),
  /** Signed 32-bit PCM. */
  PCM_S32(32, false),
  /** IEEE 754 single precision. */
  FLOAT32(32, true),
  /** IEEE 754 double precision; samples are rounded to float when read as floats. */
  FLOAT64(64, true);

  private final int bitsPerSample;
  private final boolean isFloat;

  WavEncoding(int bitsPerSample, boolean isFloat) {
    this.bitsPerSample = bitsPerSample;
    this.isFloat = isFloat;
  }

  /** Container size of one sample in bits. */
  public int bitsPerSample() {
    return bitsPerSample;
  }

  /** Container size of one sample in bytes. */
  public int bytesPerSample() {
    return bitsPerSample / 8;
  }

  /** Whether samples are IEEE floats rather than integers. */
  public boolean isFloat() {
    return isFloat;
  }

  /** Smallest signed integer value; only for integer encodings. */
  public int minInt() {
    requireInteger();
    return bitsPerSample == 32 ? Integer.MIN_VALUE : -(1 << (bitsPerSample - 1));
  }

  /** Largest signed integer value; only for integer encodings. */
  public int maxInt() {
    requireInteger();
    return bitsPerSample == 32 ? Integer.MAX_VALUE : (1 << (bitsPerSample - 1)) - 1;
  }

  /** The float full-scale value {@code value / 2^(bits-1)}; only for integer encodings. */
  public float toFloat(int value) {
    requireInteger();
    return (float) (value * SampleCodec.inverseScale(this));
  }

  /**
   * The integer nearest to {@code sample · 2^(bits-1)}, ties toward positive infinity, clipped to
   * [{@link #minInt()}, {@link #maxInt()}]; NaN gives 0. Only for integer encodings.
   */
  public int fromFloat(float sample) {
    requireInteger();
    return SampleCodec.quantize(sample, this);
  }

  private void requireInteger() {
    if (isFloat) {
      throw new IllegalStateException(this + " is not an integer encoding");
    }
  }
}
