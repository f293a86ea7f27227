package dev.denoise.app.files;

import dev.denoise.core.Progress;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavFormat;
import dev.denoise.core.audio.wav.WavReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * WAV files through denoise-core's reader (any PCM/float layout it accepts); everything else
 * goes to {@code other} (the platform codecs on a phone), or is refused when there is none.
 */
public final class WavDecoder implements AudioDecoder {
    /** Longest file the app denoises in memory, seconds. */
    public static final int MAX_SECONDS = 30 * 60;

    private final AudioDecoder other;

    public WavDecoder(AudioDecoder other) {
        this.other = other;
    }

    /** Whether the first bytes are a RIFF/WAVE (or RF64) header. */
    static boolean looksLikeWav(byte[] head, int n) {
        if (n < 12) {
            return false;
        }
        String riff = new String(head, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        String wave = new String(head, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        return (riff.equals("RIFF") || riff.equals("RF64")) && wave.equals("WAVE");
    }

    @Override
    public AudioClip decode(AudioSource source, Progress progress) throws IOException {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = source.open()) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (!looksLikeWav(head, n)) {
            if (other == null) {
                throw new IOException(source.displayName() + " is not a WAV file");
            }
            return other.decode(source, progress);
        }
        try (WavReader reader = WavReader.open(new BufferedInputStream(source.open(), 1 << 16))) {
            WavFormat f = reader.format();
            long total = f.frameCount();
            long cap = (long) MAX_SECONDS * f.sampleRate();
            if (total > cap) {
                throw new IOException(String.format(
                        "%s is %.0f minutes long; the app denoises files up to %d minutes",
                        source.displayName(), f.durationSeconds() / 60, MAX_SECONDS / 60));
            }
            int channels = f.channels();
            int capacity = total >= 0 ? (int) total : f.sampleRate() * 10;
            float[][] data = new float[channels][capacity];
            int frames = 0;
            int block = 8192;
            while (true) {
                if (frames + block > data[0].length) {
                    if (frames >= cap) {
                        throw new IOException(source.displayName() + " is longer than " + MAX_SECONDS / 60 + " minutes");
                    }
                    for (int c = 0; c < channels; c++) {
                        data[c] = java.util.Arrays.copyOf(data[c], Math.max(frames + block, data[c].length * 2));
                    }
                }
                int got = reader.readDeinterleaved(data, frames, block);
                if (got <= 0) {
                    break;
                }
                frames += got;
                if (total > 0) {
                    progress.update(Math.min(1.0, (double) frames / total));
                }
            }
            if (frames == 0) {
                throw new IOException(source.displayName() + " holds no audio");
            }
            for (int c = 0; c < channels; c++) {
                if (data[c].length != frames) {
                    data[c] = java.util.Arrays.copyOf(data[c], frames);
                }
            }
            return new AudioClip(f.sampleRate(), data);
        }
    }
}
