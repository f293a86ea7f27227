package dev.denoise.app.voice;

import dev.denoise.app.audio.AudioEngineException;
import dev.denoise.app.audio.AudioEngineStats;
import dev.denoise.app.audio.DuplexAudioEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A phone for the live controller: switches the tests flip, and an engine they pump by hand. */
final class FakeLivePlatform implements LivePlatform {
    boolean permission = true;
    boolean headphones = true;
    boolean focusGranted = true;
    String engineFailure;
    Runnable focusLoss;
    int serviceStarts;
    int serviceStops;
    boolean focusHeld;
    final Path dir;
    final List<Path> published = new ArrayList<>();
    FakeEngine lastEngine;

    FakeLivePlatform(Path dir) {
        this.dir = dir;
    }

    @Override
    public boolean hasRecordPermission() {
        return permission;
    }

    @Override
    public boolean headphonesConnected() {
        return headphones;
    }

    @Override
    public boolean requestAudioFocus(Runnable onLoss) {
        focusLoss = onLoss;
        focusHeld = focusGranted;
        return focusGranted;
    }

    @Override
    public void abandonAudioFocus() {
        focusHeld = false;
    }

    @Override
    public void startLiveService() {
        serviceStarts++;
    }

    @Override
    public void stopLiveService() {
        serviceStops++;
    }

    @Override
    public DuplexAudioEngine openEngine(boolean playback) throws AudioEngineException {
        if (engineFailure != null) {
            throw new AudioEngineException(engineFailure);
        }
        lastEngine = new FakeEngine(playback);
        return lastEngine;
    }

    @Override
    public Path newScratchRecording() {
        return dir.resolve("scratch-" + System.nanoTime() + ".wav");
    }

    @Override
    public String publishRecording(Path wav, String displayName) throws IOException {
        Path target = dir.resolve("published-" + published.size() + ".wav");
        Files.move(wav, target);
        published.add(target);
        return "Music/Denoiser/" + displayName;
    }

    /** Runs the processor on the test's thread, one frame per {@link #pump} call. */
    static final class FakeEngine implements DuplexAudioEngine {
        final boolean playback;
        FrameProcessor processor;
        boolean running;
        boolean closed;
        long frames;
        final float[] out = new float[480];

        FakeEngine(boolean playback) {
            this.playback = playback;
        }

        void pump(float[] frame) {
            processor.process(frame, out);
            frames++;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int sampleRate() {
            return 48000;
        }

        @Override
        public void start(FrameProcessor p) {
            processor = p;
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public AudioEngineStats stats() {
            return new AudioEngineStats(frames, 1, 2, 3, 12.5);
        }

        @Override
        public void close() {
            running = false;
            closed = true;
        }
    }
}
