package dev.denoise.core.audio.wav;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the RIFF/WAVE header up to the start of the data chunk's payload.
 *
 * <p>Every declared size is treated as untrusted: nothing is allocated from it (the fmt chunk is
 * read into a fixed 40-byte array, other chunks are skipped), and every chunk visited consumes at
 * least 8 input bytes, so parsing ends for every input.
 */
final class WavHeaderParser {
  /** The data chunk's declared size when a streaming writer did not know it. */
  static final long UNKNOWN_DATA_SIZE = 0xFFFFFFFFL;

  private static final int TAG_PCM = 0x0001;
  private static final int TAG_FLOAT = 0x0003;
  private static final int TAG_EXTENSIBLE = 0xFFFE;
  private static final int FMT_MIN = 16;
  private static final int FMT_EXTENSIBLE = 40;
  /** Bytes 2..15 of KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT; bytes 0..1 hold the format tag. */
  private static final byte[] GUID_SUFFIX = {
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
    (byte) 0x9B, 0x71
  };

  /** Result: the format (frame count from the declared size) and where the samples begin. */
  static final class Header {
    final WavFormat format;
    /** Byte offset of the first sample from the start of the input. */
    final long dataOffset;
    /** Declared data chunk size in bytes, or {@link #UNKNOWN_DATA_SIZE}. */
    final long declaredDataBytes;

    Header(WavFormat format, long dataOffset, long declaredDataBytes) {
      this.format = format;
      this.dataOffset = dataOffset;
      this.declaredDataBytes = declaredDataBytes;
    }
  }

  private final CountingInput in;

  private WavHeaderParser(CountingInput in) {
    this.in = in;
  }

  static Header parse(CountingInput in) throws IOException {
    return new WavHeaderParser(in).parse();
  }

  private Header parse() throws IOException {
    byte[] riff = new byte[12];
    int n = in.readFully(riff, 0, 12);
    if (n >= 4) {
      String id = fourCc(riff, 0);
      if (id.equals("RIFX")) {
        throw new WavFormatException("big-endian RIFX files are not supported");
      }
      if (id.equals("RF64") || id.equals("BW64")) {
        throw new WavFormatException(id + " files (WAV over 4 GiB) are not supported");
      }
      if (!id.equals("RIFF")) {
        throw new WavFormatException("not a RIFF file: first bytes '" + printable(riff, n) + "'");
      }
    }
    if (n < 12) {
      throw new WavFormatException(String.format(
          "too short for a RIFF/WAVE header: %d bytes, need 12", n));
    }
    // The RIFF size is not trusted: crashed recorders leave 0 or a stale value. It only tells
    // an unpatched placeholder (0) from a real empty data chunk below.
    long riffSize = SampleCodec.int32(riff, 4) & 0xFFFFFFFFL;
    if (!fourCc(riff, 8).equals("WAVE")) {
      throw new WavFormatException(
          "RIFF form type is '" + printable(riff, 8, 4) + "', not 'WAVE'");
    }
    WavFormat format = null;
    byte[] chunkHeader = new byte[8];
    while (true) {
      long chunkStart = in.position();
      n = in.readFully(chunkHeader, 0, 8);
      if (n < 8) {
        throw new WavFormatException(String.format(
            "no %s chunk: input ends at byte %d%s", format == null ? "fmt" : "data",
            in.position(), n == 0 ? "" : " inside a chunk header"));
      }
      String id = fourCc(chunkHeader, 0);
      long size = SampleCodec.int32(chunkHeader, 4) & 0xFFFFFFFFL;
      if (id.equals("fmt ")) {
        if (format != null) {
          throw new WavFormatException("second fmt chunk at byte " + chunkStart);
        }
        format = parseFmt(size, chunkStart);
      } else if (id.equals("data")) {
        if (format == null) {
          throw new WavFormatException(
              "data chunk at byte " + chunkStart + " comes before any fmt chunk");
        }
        if (size == 0 && riffSize == 0) {
          // Both sizes still hold a recorder's placeholder: it never patched them.
          size = UNKNOWN_DATA_SIZE;
        }
        long frames = size == UNKNOWN_DATA_SIZE
            ? WavFormat.UNKNOWN_FRAME_COUNT : size / format.bytesPerFrame();
        return new Header(format.withFrameCount(frames), in.position(), size);
      } else {
        skipChunkBody(id, size, 0, chunkStart);
      }
    }
  }

  private WavFormat parseFmt(long size, long chunkStart) throws IOException {
    if (size < FMT_MIN) {
      throw new WavFormatException(String.format(
          "fmt chunk too short: %d bytes, need %d", size, FMT_MIN));
    }
    byte[] f = new byte[FMT_EXTENSIBLE];
    int keep = (int) Math.min(size, FMT_EXTENSIBLE);
    int n = in.readFully(f, 0, keep);
    if (n < keep) {
      throw new WavFormatException(String.format(
          "input ends inside the fmt chunk at byte %d: %d of %d bytes present",
          chunkStart, n, size));
    }
    skipChunkBody("fmt ", size, keep, chunkStart);
    int tag = SampleCodec.uint16(f, 0);
    int channels = SampleCodec.uint16(f, 2);
    long sampleRate = SampleCodec.int32(f, 4) & 0xFFFFFFFFL;
    int blockAlign = SampleCodec.uint16(f, 12);
    int bits = SampleCodec.uint16(f, 14);
    int validBits = bits;
    int channelMask = 0;
    int codec = tag;
    if (tag == TAG_EXTENSIBLE) {
      if (size < FMT_EXTENSIBLE) {
        throw new WavFormatException(String.format(
            "WAVE_FORMAT_EXTENSIBLE fmt chunk too short: %d bytes, need %d",
            size, FMT_EXTENSIBLE));
      }
      validBits = SampleCodec.uint16(f, 18);
      channelMask = SampleCodec.int32(f, 20);
      codec = SampleCodec.uint16(f, 24);
      for (int i = 0; i < GUID_SUFFIX.length; i++) {
        if (f[26 + i] != GUID_SUFFIX[i]) {
          throw new WavFormatException(
              "unsupported WAVE_FORMAT_EXTENSIBLE subformat GUID " + guid(f, 24));
        }
      }
      if (validBits == 0) {
        validBits = bits; // Some writers leave it 0; the container size is the best reading.
      }
    }
    if (channels == 0) {
      throw new WavFormatException("fmt chunk declares 0 channels");
    }
    if (sampleRate == 0 || sampleRate > Integer.MAX_VALUE) {
      throw new WavFormatException("unsupported sample rate: " + sampleRate + " Hz");
    }
    WavEncoding encoding = encodingFor(codec, tag, bits);
    if (validBits > encoding.bitsPerSample()) {
      throw new WavFormatException(String.format(
          "valid bits per sample %d exceed the %d-bit container", validBits,
          encoding.bitsPerSample()));
    }
    long expectedAlign = (long) channels * encoding.bytesPerSample();
    if (blockAlign != expectedAlign) {
      throw new WavFormatException(String.format(
          "block align %d bytes does not match %d channels x %d bytes per sample",
          blockAlign, channels, encoding.bytesPerSample()));
    }
    return WavFormat.of((int) sampleRate, channels, encoding)
        .withValidBits(Math.min(validBits, bits))
        .withChannelMask(channelMask);
  }

  private static WavEncoding encodingFor(int codec, int tag, int bits)
      throws WavFormatException {
    if (codec == TAG_PCM) {
      // Plain PCM may declare e.g. 12 or 20 bits, left-justified in a whole-byte container.
      int container = (bits + 7) / 8 * 8;
      switch (container) {
        case 8:
          return WavEncoding.PCM_U8;
        case 16:
          return WavEncoding.PCM_S16;
        case 24:
          return WavEncoding.PCM_S24;
        case 32:
          return WavEncoding.PCM_S32;
        default:
          throw new WavFormatException("unsupported PCM bits per sample: " + bits);
      }
    }
    if (codec == TAG_FLOAT) {
      if (bits == 32) {
        return WavEncoding.FLOAT32;
      }
      if (bits == 64) {
        return WavEncoding.FLOAT64;
      }
      throw new WavFormatException(
          "unsupported IEEE float bits per sample: " + bits + ", need 32 or 64");
    }
    throw new WavFormatException(String.format("unsupported encoding tag 0x%04X (%s)%s",
        codec, tagName(codec), tag == TAG_EXTENSIBLE ? " in WAVE_FORMAT_EXTENSIBLE" : ""));
  }

  /** Skips the rest of a chunk whose first {@code consumed} body bytes were read, plus padding. */
  private void skipChunkBody(String id, long size, long consumed, long chunkStart)
      throws IOException {
    long toSkip = size - consumed + (size & 1);
    long skipped = in.skip(toSkip);
    if (skipped < toSkip) {
      throw new WavFormatException(String.format(
          "no data chunk: input ends at byte %d inside the '%s' chunk that starts at byte %d"
              + " and declares %d bytes",
          in.position(), printable(id.getBytes(StandardCharsets.ISO_8859_1), 4), chunkStart,
          size));
    }
  }

  static String tagName(int tag) {
    switch (tag) {
      case 0x0000: return "unknown";
      case 0x0002: return "Microsoft ADPCM";
      case 0x0006: return "A-law";
      case 0x0007: return "mu-law";
      case 0x0011: return "IMA ADPCM";
      case 0x0031: return "GSM 6.10";
      case 0x0050: return "MPEG";
      case 0x0055: return "MPEG Layer 3";
      case 0x0092: return "Dolby AC3 SPDIF";
      case 0x00FF: return "AAC";
      case 0x0161: return "Windows Media Audio";
      case 0x1610: return "HE-AAC";
      case 0xF1AC: return "FLAC";
      default: return "not PCM or IEEE float";
    }
  }

  private static String fourCc(byte[] b, int p) {
    return new String(b, p, 4, StandardCharsets.ISO_8859_1);
  }

  private static String printable(byte[] b, int n) {
    return printable(b, 0, Math.min(n, 4));
  }

  /** Printable ASCII as is, everything else as {@code \xNN}. */
  static String printable(byte[] b, int p, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = p; i < p + n; i++) {
      int c = b[i] & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
        s.append((char) c);
      } else {
        s.append(String.format("\\x%02X", c));
      }
    }
    return s.toString();
  }

  private static String guid(byte[] f, int p) {
    return String.format("{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
        SampleCodec.int32(f, p), SampleCodec.uint16(f, p + 4), SampleCodec.uint16(f, p + 6),
        f[p + 8], f[p + 9], f[p + 10], f[p + 11], f[p + 12], f[p + 13], f[p + 14], f[p + 15]);
  }

  /** An input stream with a byte position and fill/skip loops that report how far they got. */
  static final class CountingInput {
    private final InputStream in;
    private long position;

    CountingInput(InputStream in) {
      this.in = in;
    }

    long position() {
      return position;
    }

    InputStream stream() {
      return in;
    }

    /** Reads up to {@code len} bytes, fewer only at end of input; returns the count read. */
    int readFully(byte[] b, int off, int len) throws IOException {
      int done = 0;
      while (done < len) {
        int n = read(b, off + done, len - done);
        if (n < 0) {
          break;
        }
        done += n;
      }
      return done;
    }

    /**
     * One read of at most {@code len > 0} bytes: at least one byte, or -1 at end. A stream that
     * breaks its contract by returning 0 is asked for a single blocking byte instead.
     */
    int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n == 0) {
        int c = in.read();
        if (c < 0) {
          return -1;
        }
        b[off] = (byte) c;
        n = 1;
      }
      if (n > 0) {
        position += n;
      }
      return n < 0 ? -1 : n;
    }

    /** Skips up to {@code n} bytes, fewer only at end of input; returns the count skipped. */
    long skip(long n) throws IOException {
      long done = 0;
      while (done < n) {
        long k = in.skip(n - done);
        if (k > 0) {
          done += Math.min(k, n - done);
        } else if (in.read() >= 0) {
          done++;
        } else {
          break;
        }
      }
      position += done;
      return done;
    }
  }
}
