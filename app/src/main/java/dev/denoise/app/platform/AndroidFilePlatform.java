package dev.denoise.app.platform;

import android.content.Context;
import android.media.AudioAttributes;
import android.media.AudioFormat;
import android.media.AudioTrack;
import android.os.Handler;
import android.os.Looper;
import dev.denoise.app.files.FilePlatform;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavEncoding;
import dev.denoise.core.audio.wav.WavFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Saving through MediaStore and playback through an AudioTrack streamed from a thread. */
public final class AndroidFilePlatform implements FilePlatform {
    private final Context context;
    private final Handler main = new Handler(Looper.getMainLooper());
    private volatile boolean playing;
    private volatile int position;
    private Thread player;

    public AndroidFilePlatform(Context context) {
        this.context = context.getApplicationContext();
    }

    @Override
    public String saveCopy(AudioClip clip, String displayName) throws IOException {
        Path dir = context.getCacheDir().toPath().resolve("exports");
        Files.createDirectories(dir);
        Path tmp = dir.resolve("export-" + System.nanoTime() + ".wav");
        try {
            WavFiles.write(tmp, clip, WavEncoding.PCM_S16);
            try (InputStream in = Files.newInputStream(tmp)) {
                MediaStoreAudio.insertWav(context.getContentResolver(), displayName, in);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return MediaStoreAudio.FOLDER + "/" + displayName;
    }

    @Override
    public synchronized void play(AudioClip clip, int startFrame, Runnable onEnd) {
        stopPlayback();
        int channels = Math.min(2, clip.channelCount());
        int rate = clip.sampleRate();
        int mask = channels == 1 ? AudioFormat.CHANNEL_OUT_MONO : AudioFormat.CHANNEL_OUT_STEREO;
        int min = AudioTrack.getMinBufferSize(rate, mask, AudioFormat.ENCODING_PCM_FLOAT);
        AudioTrack track = new AudioTrack.Builder()
                .setAudioAttributes(new AudioAttributes.Builder().setUsage(AudioAttributes.USAGE_MEDIA).build())
                .setAudioFormat(new AudioFormat.Builder().setEncoding(AudioFormat.ENCODING_PCM_FLOAT)
                        .setSampleRate(rate).setChannelMask(mask).build())
                .setBufferSizeInBytes(Math.max(min, 4 * channels * rate / 10))
                .build();
        playing = true;
        position = Math.max(0, Math.min(startFrame, clip.frameCount()));
        player = new Thread(() -> {
            float[] chunk = new float[channels * 2048];
            track.play();
            try {
                while (playing && position < clip.frameCount()) {
                    int n = Math.min(2048, clip.frameCount() - position);
                    for (int i = 0; i < n; i++) {
                        for (int c = 0; c < channels; c++) {
                            chunk[i * channels + c] = clip.channel(c)[position + i];
                        }
                    }
                    track.write(chunk, 0, n * channels, AudioTrack.WRITE_BLOCKING);
                    position += n;
                }
            } finally {
                track.stop();
                track.release();
            }
            if (playing) {
                playing = false;
                main.post(onEnd);
            }
        }, "ab-playback");
        player.start();
    }

    @Override
    public synchronized int stopPlayback() {
        playing = false;
        if (player != null) {
            try {
                player.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            player = null;
        }
        return position;
    }
}
