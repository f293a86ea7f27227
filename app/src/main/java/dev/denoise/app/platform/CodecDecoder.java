package dev.denoise.app.platform;

import android.content.ContentResolver;
import android.content.res.AssetFileDescriptor;
import android.media.AudioFormat;
import android.media.MediaCodec;
import android.media.MediaExtractor;
import android.media.MediaFormat;
import android.net.Uri;
import dev.denoise.app.files.AudioDecoder;
import dev.denoise.app.files.AudioSource;
import dev.denoise.app.files.WavDecoder;
import dev.denoise.core.Progress;
import dev.denoise.core.audio.wav.AudioClip;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Compressed audio (MP3, AAC/M4A, Ogg/Opus, FLAC, AMR…) through the platform's MediaExtractor and
 * MediaCodec: the first audio track, decoded to 16-bit or float PCM, de-interleaved.
 */
public final class CodecDecoder implements AudioDecoder {
    private static final long TIMEOUT_US = 10_000;

    private final ContentResolver resolver;

    public CodecDecoder(ContentResolver resolver) {
        this.resolver = resolver;
    }

    /** A picked file: a content Uri. */
    public record UriSource(ContentResolver resolver, Uri uri, String displayName) implements AudioSource {
        @Override
        public java.io.InputStream open() throws IOException {
            java.io.InputStream in = resolver.openInputStream(uri);
            if (in == null) {
                throw new IOException("cannot open " + displayName);
            }
            return in;
        }
    }

    @Override
    public AudioClip decode(AudioSource source, Progress progress) throws IOException {
        if (!(source instanceof UriSource u)) {
            throw new IOException(source.displayName() + ": not a WAV file, and the platform decoder needs a content Uri");
        }
        MediaExtractor extractor = new MediaExtractor();
        MediaCodec codec = null;
        try (AssetFileDescriptor fd = resolver.openAssetFileDescriptor(u.uri(), "r")) {
            if (fd == null) {
                throw new IOException("cannot open " + source.displayName());
            }
            extractor.setDataSource(fd.getFileDescriptor(), fd.getStartOffset(), fd.getLength());
            int track = -1;
            MediaFormat format = null;
            for (int i = 0; i < extractor.getTrackCount(); i++) {
                MediaFormat f = extractor.getTrackFormat(i);
                String mime = f.getString(MediaFormat.KEY_MIME);
                if (mime != null && mime.startsWith("audio/")) {
                    track = i;
                    format = f;
                    break;
                }
            }
            if (track < 0) {
                throw new IOException(source.displayName() + " has no audio track the phone can read");
            }
            extractor.selectTrack(track);
            long durationUs = format.containsKey(MediaFormat.KEY_DURATION) ? format.getLong(MediaFormat.KEY_DURATION) : -1;
            if (durationUs > WavDecoder.MAX_SECONDS * 1_000_000L) {
                throw new IOException(source.displayName() + " is longer than " + WavDecoder.MAX_SECONDS / 60 + " minutes");
            }
            codec = MediaCodec.createDecoderByType(format.getString(MediaFormat.KEY_MIME));
            codec.configure(format, null, null, 0);
            codec.start();
            int rate = format.getInteger(MediaFormat.KEY_SAMPLE_RATE);
            int channels = format.getInteger(MediaFormat.KEY_CHANNEL_COUNT);
            boolean isFloat = false;
            float[][] data = new float[channels][rate * 10];
            int frames = 0;
            MediaCodec.BufferInfo info = new MediaCodec.BufferInfo();
            boolean inputDone = false;
            while (true) {
                if (!inputDone) {
                    int in = codec.dequeueInputBuffer(TIMEOUT_US);
                    if (in >= 0) {
                        ByteBuffer buf = codec.getInputBuffer(in);
                        int n = extractor.readSampleData(buf, 0);
                        if (n < 0) {
                            codec.queueInputBuffer(in, 0, 0, 0, MediaCodec.BUFFER_FLAG_END_OF_STREAM);
                            inputDone = true;
                        } else {
                            codec.queueInputBuffer(in, 0, n, extractor.getSampleTime(), 0);
                            if (durationUs > 0) {
                                progress.update(Math.min(1.0, extractor.getSampleTime() / (double) durationUs));
                            }
                            extractor.advance();
                        }
                    }
                }
                int out = codec.dequeueOutputBuffer(info, TIMEOUT_US);
                if (out == MediaCodec.INFO_OUTPUT_FORMAT_CHANGED) {
                    MediaFormat of = codec.getOutputFormat();
                    rate = of.getInteger(MediaFormat.KEY_SAMPLE_RATE);
                    channels = of.getInteger(MediaFormat.KEY_CHANNEL_COUNT);
                    isFloat = of.containsKey(MediaFormat.KEY_PCM_ENCODING)
                            && of.getInteger(MediaFormat.KEY_PCM_ENCODING) == AudioFormat.ENCODING_PCM_FLOAT;
                    if (frames == 0) {
                        data = new float[channels][rate * 10];
                    }
                } else if (out >= 0) {
                    ByteBuffer buf = codec.getOutputBuffer(out).order(ByteOrder.LITTLE_ENDIAN);
                    buf.position(info.offset).limit(info.offset + info.size);
                    int bytesPerSample = isFloat ? 4 : 2;
                    int n = info.size / (bytesPerSample * channels);
                    if (frames + n > data[0].length) {
                        for (int c = 0; c < channels; c++) {
                            data[c] = Arrays.copyOf(data[c], Math.max(frames + n, data[c].length * 2));
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        for (int c = 0; c < channels; c++) {
                            data[c][frames + i] = isFloat ? buf.getFloat() : buf.getShort() * (1f / 32768f);
                        }
                    }
                    frames += n;
                    codec.releaseOutputBuffer(out, false);
                    if ((info.flags & MediaCodec.BUFFER_FLAG_END_OF_STREAM) != 0) {
                        break;
                    }
                }
            }
            if (frames == 0) {
                throw new IOException(source.displayName() + " holds no audio");
            }
            for (int c = 0; c < channels; c++) {
                data[c] = Arrays.copyOf(data[c], frames);
            }
            return new AudioClip(rate, data);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException(source.displayName() + ": the phone cannot decode this file (" + e.getMessage() + ")", e);
        } finally {
            if (codec != null) {
                try {
                    codec.stop();
                } catch (IllegalStateException ignored) {
                    // never started
                }
                codec.release();
            }
            extractor.release();
        }
    }
}
