package dev.denoise.app.voice;

import dev.denoise.app.audio.AudioEngineException;
import dev.denoise.app.audio.AudioEngineStats;
import dev.denoise.app.audio.DuplexAudioEngine;
import dev.denoise.app.audio.PlatformAudioEngine;
import dev.denoise.app.models.DelegateChoice;
import dev.denoise.app.models.DenoiserOutcome;
import dev.denoise.app.models.VoiceModelLoader;
import dev.denoise.core.audio.ResampledStage;
import dev.denoise.core.audio.StreamingStage;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The live voice screen's logic, plain Java: permission flow, start/stop, mode and strength
 * (applied mid-stream), monitoring only on headphones, recording, audio focus, headset unplug,
 * model fallback. Call it from one thread (the main thread); {@link #tick()} refreshes the meters
 * and notices an engine that stopped on its own.
 */
public final class LiveVoiceController {
    /** The neural model's rate; other engine rates are resampled around it. */
    public static final int MODEL_RATE = 48000;
    /** Up to this many seconds of recording may wait for the writer thread. */
    private static final int RECORD_RING_SECONDS = 4;

    static final String MONITOR_NEEDS_HEADPHONES =
            "Monitoring needs headphones: on the loudspeaker the microphone would pick up the output and howl.";
    static final String UNPLUGGED = "Stopped: the headphones were disconnected.";
    static final String FOCUS_LOST = "Stopped: another app took the audio.";

    private final LivePlatform platform;
    private final VoiceModelLoader models;
    private LiveUiState state = LiveUiState.initial();
    private Consumer<LiveUiState> listener = s -> { };
    private DuplexAudioEngine engine;
    private LiveProcessor processor;
    private WavRecorder recorder;
    private Path scratch;

    public LiveVoiceController(LivePlatform platform, VoiceModelLoader models) {
        this.platform = platform;
        this.models = models;
    }

    public LiveUiState state() {
        return state;
    }

    /** Receives every new state, on the calling thread; replaces the previous listener. */
    public void setListener(Consumer<LiveUiState> listener) {
        this.listener = listener == null ? s -> { } : listener;
        this.listener.accept(state);
    }

    private void publish(LiveUiState s) {
        state = s;
        listener.accept(s);
    }

    // ---- user actions

    /** The start button: asks for the microphone first when needed. */
    public void start() {
        if (state.running()) {
            return;
        }
        if (!platform.hasRecordPermission()) {
            publish(state.withPhase(LiveUiState.Phase.REQUESTING_PERMISSION).withMessages(state.warning(), state.note(), null));
            return;
        }
        startEngine();
    }

    /**
     * The result of the system permission dialog.
     *
     * @param canAskAgain whether the system would show the dialog again (shouldShowRationale)
     */
    public void onPermissionResult(boolean granted, boolean canAskAgain) {
        if (granted) {
            publish(state.withPhase(LiveUiState.Phase.IDLE));
            startEngine();
        } else {
            publish(state.withPhase(canAskAgain ? LiveUiState.Phase.PERMISSION_RATIONALE
                    : LiveUiState.Phase.PERMISSION_DENIED));
        }
    }

    /** "Not now" on the rationale: back to idle. */
    public void dismissPermission() {
        publish(state.withPhase(LiveUiState.Phase.IDLE));
    }

    public void stop() {
        stopWith(null, null);
    }

    public void setMode(VoiceMode mode) {
        if (processor != null) {
            processor.setMode(mode);
        }
        VoiceMode effective = processor != null ? processor.effectiveMode() : mode;
        publish(state.withSettings(mode, effective, state.strengthDb(), state.delegate(), state.monitor(), state.record()));
    }

    /** Maximum attenuation in dB, 0–40; takes effect at the next frame while running. */
    public void setStrength(double db) {
        double clamped = Math.max(0, Math.min(40, db));
        if (processor != null) {
            processor.setStrength(new Strength(clamped, 1));
        }
        publish(state.withSettings(state.mode(), state.effectiveMode(), clamped, state.delegate(), state.monitor(),
                state.record()));
    }

    /** Only while stopped: the model is opened with it at the next start. */
    public void setDelegate(DelegateChoice delegate) {
        if (state.running()) {
            return;
        }
        publish(state.withSettings(state.mode(), state.effectiveMode(), state.strengthDb(), delegate, state.monitor(),
                state.record()));
    }

    /** Refused (with a warning) when the output is the loudspeaker; only while stopped. */
    public void setMonitor(boolean on) {
        if (state.running()) {
            return;
        }
        if (on && !platform.headphonesConnected()) {
            publish(state.withSettings(state.mode(), state.effectiveMode(), state.strengthDb(), state.delegate(), false,
                    state.record()).withMessages(MONITOR_NEEDS_HEADPHONES, state.note(), state.error()));
            return;
        }
        publish(state.withSettings(state.mode(), state.effectiveMode(), state.strengthDb(), state.delegate(), on,
                state.record()).withMessages(null, state.note(), state.error()));
    }

    /** Only while stopped. */
    public void setRecord(boolean on) {
        if (state.running()) {
            return;
        }
        publish(state.withSettings(state.mode(), state.effectiveMode(), state.strengthDb(), state.delegate(),
                state.monitor(), on));
    }

    // ---- system events

    /** ACTION_AUDIO_BECOMING_NOISY: the headphones went away; never keep playing to the loudspeaker. */
    public void onAudioBecomingNoisy() {
        if (state.monitor()) {
            publish(state.withSettings(state.mode(), state.effectiveMode(), state.strengthDb(), state.delegate(), false,
                    state.record()));
        }
        if (state.running()) {
            stopWith(UNPLUGGED, null);
        }
    }

    /** Refreshes meters and counters; notices an engine that stopped by itself. Call ~10 times a second. */
    public void tick() {
        if (!state.running() || engine == null) {
            return;
        }
        if (!engine.isRunning()) {
            String why = engine instanceof PlatformAudioEngine p && p.failure() != null ? p.failure() : "the audio engine stopped";
            stopWith(null, why);
            return;
        }
        AudioEngineStats s = engine.stats();
        publish(state.withMeters(engine.name(), processor.inputLevelDb(), processor.outputLevelDb(),
                processor.voiceProbability(), s.latencyMillis(), 1000.0 * processor.latencySamples() / engine.sampleRate(),
                s.inputOverruns(), s.outputUnderruns(), s.outputDrops()));
    }

    /** The running processor, for tests and the service; null when stopped. */
    public LiveProcessor processor() {
        return processor;
    }

    public DuplexAudioEngine engine() {
        return engine;
    }

    // ---- internals

    private void startEngine() {
        if (!platform.requestAudioFocus(() -> {
            if (state.running()) {
                stopWith(FOCUS_LOST, null);
            }
        })) {
            publish(state.withPhase(LiveUiState.Phase.ERROR).withMessages(state.warning(), state.note(),
                    "Another app is using the audio (focus refused)."));
            return;
        }
        boolean monitor = state.monitor();
        if (monitor && !platform.headphonesConnected()) {
            monitor = false;
        }
        String warning = monitor == state.monitor() ? null : MONITOR_NEEDS_HEADPHONES;
        DuplexAudioEngine e = null;
        LiveProcessor p = null;
        try {
            e = platform.openEngine(monitor);
            int rate = e.sampleRate();
            Strength strength = new Strength(state.strengthDb(), 1);
            DenoiserOutcome outcome = DenoiserOutcome.open(models, state.delegate(), strength);
            StreamingStage neuralStage = null;
            NeuralVoiceStage neural = outcome.denoiser();
            String note = outcome.note();
            if (neural != null) {
                try {
                    neuralStage = ResampledStage.around(neural, MODEL_RATE, rate);
                } catch (RuntimeException bad) {
                    neural.close();
                    neural = null;
                    note = "Neural model does not fit this build (" + bad.getMessage() + "). Using Classic.";
                }
            }
            p = new LiveProcessor(rate, strength, state.mode(), neuralStage, neural);
            if (state.record()) {
                scratch = platform.newScratchRecording();
                FloatRingBuffer ring = new FloatRingBuffer(RECORD_RING_SECONDS * rate);
                recorder = new WavRecorder(ring, scratch, rate);
                p.setRecordTap(ring);
            }
            e.start(p);
            engine = e;
            processor = p;
            platform.startLiveService();
            publish(state.withSettings(state.mode(), p.effectiveMode(), state.strengthDb(), state.delegate(), monitor,
                            state.record())
                    .withMessages(warning, note, null)
                    .withMeters(e.name(), LiveProcessor.LEVEL_FLOOR_DB, LiveProcessor.LEVEL_FLOOR_DB, -1f,
                            e.stats().latencyMillis(), 1000.0 * p.latencySamples() / rate, 0, 0, 0)
                    .withPhase(LiveUiState.Phase.RUNNING));
        } catch (AudioEngineException | IOException | RuntimeException failure) {
            if (recorder != null) {
                recorder.abort();
                recorder = null;
            }
            if (e != null) {
                e.close();
            }
            if (p != null) {
                p.close();
            }
            platform.abandonAudioFocus();
            String msg = failure.getMessage() == null ? failure.toString() : failure.getMessage();
            publish(state.withPhase(LiveUiState.Phase.ERROR).withMessages(warning, state.note(), "Could not start: " + msg));
        }
    }

    private void stopWith(String warning, String error) {
        if (engine == null) {
            return;
        }
        engine.stop();
        engine.close();
        engine = null;
        String saved = state.lastRecording();
        String err = error;
        if (recorder != null) {
            try {
                long frames = recorder.finish();
                if (frames > 0) {
                    String name = "Denoised " + new SimpleDateFormat("yyyy-MM-dd HH.mm.ss", Locale.ROOT).format(new Date()) + ".wav";
                    saved = platform.publishRecording(scratch, name);
                }
            } catch (IOException ioe) {
                err = (err == null ? "" : err + "; ") + "the recording could not be saved: " + ioe.getMessage();
            }
            recorder = null;
            scratch = null;
        }
        processor.close();
        processor = null;
        platform.stopLiveService();
        platform.abandonAudioFocus();
        LiveUiState next = state.withPhase(err == null ? LiveUiState.Phase.IDLE : LiveUiState.Phase.ERROR)
                .withMessages(warning, state.note(), err)
                .withMeters(null, LiveProcessor.LEVEL_FLOOR_DB, LiveProcessor.LEVEL_FLOOR_DB, -1f, Double.NaN, 0,
                        state.inputOverruns(), state.outputUnderruns(), state.outputDrops())
                .withLastRecording(saved);
        publish(next);
    }
}
