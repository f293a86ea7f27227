package dev.denoise.app.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.app.models.DelegateChoice;
import dev.denoise.app.models.VoiceModelLoader;
import dev.denoise.app.voice.LiveUiState.Phase;
import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.rnn.GainModel;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class LiveVoiceControllerTest {
    @TempDir
    Path dir;
    FakeLivePlatform platform;
    LiveVoiceController live;
    final List<LiveUiState> seen = new ArrayList<>();

    /** A model whose native library is missing, as on a 16 KB-page phone. */
    static final VoiceModelLoader BROKEN_NATIVE = new VoiceModelLoader() {
        @Override
        public GainModel open(DelegateChoice delegate) {
            throw new UnsatisfiedLinkError("dlopen failed: libtensorflowlite_jni.so: page size 16384");
        }

        @Override
        public String name() {
            return "broken";
        }
    };

    public static VoiceModelLoader brokenNativeModel() {
        return BROKEN_NATIVE;
    }

    @BeforeEach
    void setUp() {
        platform = new FakeLivePlatform(dir);
        live = new LiveVoiceController(platform, BROKEN_NATIVE);
        live.setListener(seen::add);
    }

    @Test
    void startWithoutPermissionAsksThenRunsWhenGranted() {
        platform.permission = false;
        live.start();
        assertEquals(Phase.REQUESTING_PERMISSION, live.state().phase());
        assertEquals(0, platform.serviceStarts);
        platform.permission = true;
        live.onPermissionResult(true, false);
        assertEquals(Phase.RUNNING, live.state().phase());
        assertEquals(1, platform.serviceStarts);
    }

    @Test
    void declinedOnceShowsRationaleAndDeclinedForGoodShowsDenied() {
        platform.permission = false;
        live.start();
        live.onPermissionResult(false, true);
        assertEquals(Phase.PERMISSION_RATIONALE, live.state().phase());
        live.start();
        live.onPermissionResult(false, false);
        assertEquals(Phase.PERMISSION_DENIED, live.state().phase());
        assertNull(platform.lastEngine, "no engine may open without the permission");
        assertEquals(0, platform.serviceStarts);
    }

    @Test
    void serviceRunsExactlyWhileLive() {
        live.start();
        assertEquals(1, platform.serviceStarts);
        assertEquals(0, platform.serviceStops);
        assertTrue(platform.focusHeld);
        live.stop();
        assertEquals(1, platform.serviceStops);
        assertFalse(platform.focusHeld);
        assertTrue(platform.lastEngine.closed);
        assertEquals(Phase.IDLE, live.state().phase());
    }

    @Test
    void monitorIsRefusedOnTheLoudspeaker() {
        platform.headphones = false;
        live.setMonitor(true);
        assertFalse(live.state().monitor());
        assertEquals(LiveVoiceController.MONITOR_NEEDS_HEADPHONES, live.state().warning());
        platform.headphones = true;
        live.setMonitor(true);
        assertTrue(live.state().monitor());
        assertNull(live.state().warning());
        live.start();
        assertTrue(platform.lastEngine.playback);
    }

    @Test
    void unpluggingTheHeadphonesStopsAndTurnsMonitoringOff() {
        live.setMonitor(true);
        live.start();
        live.onAudioBecomingNoisy();
        assertEquals(Phase.IDLE, live.state().phase());
        assertFalse(live.state().monitor());
        assertEquals(LiveVoiceController.UNPLUGGED, live.state().warning());
        assertEquals(1, platform.serviceStops);
    }

    @Test
    void losingAudioFocusStops() {
        live.start();
        platform.focusLoss.run();
        assertEquals(Phase.IDLE, live.state().phase());
        assertEquals(LiveVoiceController.FOCUS_LOST, live.state().warning());
    }

    @Test
    void refusedFocusIsAnErrorNotACrash() {
        platform.focusGranted = false;
        live.start();
        assertEquals(Phase.ERROR, live.state().phase());
        assertNull(platform.lastEngine);
    }

    @Test
    void engineThatCannotOpenGivesAnErrorState() {
        platform.engineFailure = "the microphone did not initialise";
        live.start();
        assertEquals(Phase.ERROR, live.state().phase());
        assertTrue(live.state().error().contains("the microphone did not initialise"), live.state().error());
        assertEquals(0, platform.serviceStarts);
        assertFalse(platform.focusHeld);
    }

    @Test
    void modelThatCannotLoadFallsBackToClassicWithANote() {
        live.setMode(VoiceMode.NEURAL);
        live.start();
        LiveUiState s = live.state();
        assertEquals(Phase.RUNNING, s.phase());
        assertEquals(VoiceMode.NEURAL, s.mode());
        assertEquals(VoiceMode.CLASSIC, s.effectiveMode());
        assertNotNull(s.note());
        assertTrue(s.note().contains("page size 16384"), s.note());
    }

    @Test
    void recordingIsPublishedWhenStoppedAndHoldsTheProcessedAudio() throws Exception {
        live.setMode(VoiceMode.OFF);
        live.setRecord(true);
        live.start();
        float[] x = SpeechLikeSignal.speech(48000, 1, 9);
        float[] frame = new float[480];
        for (int f = 0; f < 100; f++) {
            System.arraycopy(x, f * 480, frame, 0, 480);
            platform.lastEngine.pump(frame);
        }
        live.stop();
        assertEquals(1, platform.published.size());
        assertTrue(live.state().lastRecording().startsWith("Music/Denoiser/Denoised "), live.state().lastRecording());
        AudioClip rec = WavFiles.read(platform.published.get(0));
        assertEquals(48000, rec.sampleRate());
        assertEquals(48000, rec.frameCount());
        for (int i = 0; i < rec.frameCount(); i++) {
            assertEquals(x[i], rec.channel(0)[i], 1.0f / 32768 + 1e-6f, "sample " + i);
        }
    }

    @Test
    void tickShowsMetersLatencyAndCounters() {
        live.setMode(VoiceMode.CLASSIC);
        live.start();
        float[] frame = new float[480];
        java.util.Arrays.fill(frame, 0.1f);
        platform.lastEngine.pump(frame);
        live.tick();
        LiveUiState s = live.state();
        assertEquals(12.5, s.ioLatencyMs());
        assertEquals(10.0, s.algorithmLatencyMs(), 1e-9);
        assertEquals(22.5, s.totalLatencyMs(), 1e-9);
        assertEquals(1, s.inputOverruns());
        assertEquals(2, s.outputUnderruns());
        assertEquals(3, s.outputDrops());
        assertEquals(-20f, s.inputLevelDb(), 0.01f);
    }

    @Test
    void engineThatStopsOnItsOwnEndsInAnError() {
        live.start();
        platform.lastEngine.running = false;
        live.tick();
        assertEquals(Phase.ERROR, live.state().phase());
        assertEquals(1, platform.serviceStops);
    }

    @Test
    void strengthAndModeChangesReachTheRunningProcessor() {
        live.setMode(VoiceMode.CLASSIC);
        live.start();
        live.setMode(VoiceMode.OFF);
        assertEquals(VoiceMode.OFF, live.processor().mode());
        live.setStrength(55);
        assertEquals(40.0, live.state().strengthDb());
        assertFalse(seen.isEmpty());
    }
}
