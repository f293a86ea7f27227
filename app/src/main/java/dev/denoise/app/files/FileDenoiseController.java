package dev.denoise.app.files;

import dev.denoise.app.files.FileUiState.Phase;
import dev.denoise.app.files.FileUiState.Version;
import dev.denoise.app.models.DelegateChoice;
import dev.denoise.app.models.DenoiserOutcome;
import dev.denoise.app.models.VoiceModelLoader;
import dev.denoise.app.voice.LiveVoiceController;
import dev.denoise.app.voice.VoiceMode;
import dev.denoise.core.audio.AlignedProcessor;
import dev.denoise.core.audio.ResampledStage;
import dev.denoise.core.audio.StreamingStage;
import dev.denoise.core.audio.classic.ClassicDenoiser;
import dev.denoise.core.audio.classic.ClassicMethod;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;
import dev.denoise.core.audio.wav.AudioClip;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The audio files screen's logic, plain Java: decode the picked file, denoise it with progress and
 * cancel, A/B playback, save a copy. The original is only ever read. Long work runs on
 * {@code background}; state changes are delivered on {@code main}.
 */
public final class FileDenoiseController {
    private static final int BLOCK = 4800;

    private final AudioDecoder decoder;
    private final FilePlatform platform;
    private final VoiceModelLoader models;
    private final Executor background;
    private final Executor main;
    private FileUiState state = FileUiState.empty();
    private Consumer<FileUiState> listener = s -> { };
    private volatile boolean cancelled;
    private int job;
    private AudioClip original;
    private AudioClip denoised;

    public FileDenoiseController(AudioDecoder decoder, FilePlatform platform, VoiceModelLoader models,
            Executor background, Executor main) {
        this.decoder = decoder;
        this.platform = platform;
        this.models = models;
        this.background = background;
        this.main = main;
    }

    public FileUiState state() {
        return state;
    }

    public void setListener(Consumer<FileUiState> listener) {
        this.listener = listener == null ? s -> { } : listener;
        this.listener.accept(state);
    }

    private void publish(FileUiState s) {
        state = s;
        listener.accept(s);
    }

    /** The denoised clip once ready (for tests and saving), else null. */
    public AudioClip denoised() {
        return denoised;
    }

    public AudioClip original() {
        return original;
    }

    public void open(AudioSource source) {
        stopPlayback();
        original = null;
        denoised = null;
        cancelled = false;
        int id = ++job;
        publish(state.withFile(source.displayName(), null).with(Phase.DECODING, 0));
        background.execute(() -> {
            try {
                AudioClip clip = decoder.decode(source, f -> progress(id, Phase.DECODING, f));
                main.execute(() -> {
                    if (id != job) {
                        return;
                    }
                    original = clip;
                    publish(state.withFile(source.displayName(), summary(clip)).with(Phase.READY, 0));
                });
            } catch (CancellationException c) {
                main.execute(() -> {
                    if (id == job) {
                        publish(FileUiState.empty().withSettings(state.mode(), state.strengthDb()));
                    }
                });
            } catch (IOException | RuntimeException e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                main.execute(() -> {
                    if (id == job) {
                        publish(state.with(Phase.ERROR, 0).withMessages(null, "Cannot read " + source.displayName() + ": " + msg, null));
                    }
                });
            }
        });
    }

    public void setMode(VoiceMode mode) {
        publish(state.withSettings(mode == VoiceMode.OFF ? VoiceMode.CLASSIC : mode, state.strengthDb()));
    }

    public void setStrength(double db) {
        publish(state.withSettings(state.mode(), Math.max(0, Math.min(40, db))));
    }

    /** Denoises the loaded file with the current mode and strength. */
    public void denoise(DelegateChoice delegate) {
        if (original == null || state.busy()) {
            return;
        }
        stopPlayback();
        cancelled = false;
        int id = ++job;
        AudioClip clip = original;
        VoiceMode mode = state.mode();
        Strength strength = new Strength(state.strengthDb(), 1);
        publish(state.with(Phase.DENOISING, 0).withMessages(null, null, null));
        background.execute(() -> {
            String note = null;
            try {
                float[][] out = new float[clip.channelCount()][];
                for (int c = 0; c < clip.channelCount(); c++) {
                    StreamingStage stage = null;
                    NeuralVoiceStage n = null;
                    if (mode == VoiceMode.NEURAL) {
                        // The same route as live voice: whichever kind the model is (band gains
                        // or a spectral mask), it opens as a whole 48 kHz denoiser.
                        DenoiserOutcome o = DenoiserOutcome.open(models, delegate, strength);
                        note = o.note();
                        if (o.loaded()) {
                            n = o.denoiser();
                            try {
                                stage = ResampledStage.around(n, LiveVoiceController.MODEL_RATE, clip.sampleRate());
                            } catch (RuntimeException bad) {
                                n.close();
                                n = null;
                                note = "Neural model cannot run at " + clip.sampleRate() + " Hz (" + bad.getMessage() + "). Used Classic.";
                            }
                        }
                    }
                    if (stage == null) {
                        stage = ClassicDenoiser.newStage(ClassicMethod.MMSE_LSA, clip.sampleRate(), strength, null);
                    }
                    final int channel = c;
                    try {
                        double warmUp = n != null ? NeuralVoiceStage.FILE_WARM_UP_SECONDS : 0;
                        out[c] = run(stage, clip.channel(c), (int) (warmUp * clip.sampleRate()), f -> progress(id, Phase.DENOISING,
                                (channel + f) / clip.channelCount()));
                    } finally {
                        if (n != null) {
                            n.close();
                        }
                    }
                }
                AudioClip result = new AudioClip(clip.sampleRate(), out);
                String finalNote = note;
                main.execute(() -> {
                    if (id != job) {
                        return;
                    }
                    denoised = result;
                    publish(state.with(Phase.DENOISED, 1).withMessages(finalNote, null, null));
                });
            } catch (CancellationException c) {
                main.execute(() -> {
                    if (id == job) {
                        publish(state.with(Phase.READY, 0).withMessages("Cancelled.", null, null));
                    }
                });
            } catch (Exception e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                main.execute(() -> {
                    if (id == job) {
                        publish(state.with(Phase.ERROR, 0).withMessages(null, "Denoising failed: " + msg, null));
                    }
                });
            }
        });
    }

    /**
     * Denoises one channel, aligned, after a {@link AlignedProcessor#warmUp} on its first
     * {@code warmUpSamples} (the neural path: its recurrent state starts warm and the first
     * syllables are not cut, as the desktop's {@code denoise audio --method neural} does).
     */
    private float[] run(StreamingStage stage, float[] x, int warmUpSamples,
            java.util.function.DoubleConsumer progress) {
        AlignedProcessor p = new AlignedProcessor(stage);
        p.warmUp(x, 0, Math.min(x.length, warmUpSamples));
        float[] y = new float[x.length];
        float[] tail = new float[Math.max(1, p.latencySamples())];
        int written = 0;
        for (int pos = 0; pos < x.length; pos += BLOCK) {
            if (cancelled) {
                throw new CancellationException();
            }
            int n = Math.min(BLOCK, x.length - pos);
            written += p.process(x, pos, n, y, written);
            progress.accept((double) (pos + n) / x.length);
        }
        int t = p.finish(tail, 0);
        System.arraycopy(tail, 0, y, written, Math.min(t, y.length - written));
        return y;
    }

    private void progress(int id, Phase phase, double f) {
        if (cancelled) {
            throw new CancellationException();
        }
        main.execute(() -> {
            if (id == job && state.phase() == phase) {
                publish(state.with(phase, f));
            }
        });
    }

    /** Cancels decoding or denoising; the loaded original stays. */
    public void cancel() {
        cancelled = true;
    }

    /** Plays one version; switching keeps the position, as an A/B comparison should. */
    public void play(Version version) {
        AudioClip clip = version == Version.ORIGINAL ? original : denoised;
        if (clip == null) {
            return;
        }
        int at = state.playing() != null ? platform.stopPlayback() : 0;
        platform.play(clip, at, () -> {
            if (state.playing() == version) {
                publish(state.withPlaying(null));
            }
        });
        publish(state.withPlaying(version));
    }

    public void stopPlayback() {
        if (state.playing() != null) {
            platform.stopPlayback();
            publish(state.withPlaying(null));
        }
    }

    /** Saves the denoised version as a new file beside the user's audio; the original is untouched. */
    public void save() {
        if (denoised == null || state.busy()) {
            return;
        }
        AudioClip clip = denoised;
        String name = copyName(state.fileName());
        int id = ++job;
        publish(state.with(Phase.SAVING, 0));
        background.execute(() -> {
            try {
                String where = platform.saveCopy(clip, name);
                main.execute(() -> {
                    if (id == job) {
                        publish(state.with(Phase.DENOISED, 1).withMessages(state.note(), null, where));
                    }
                });
            } catch (IOException | RuntimeException e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                main.execute(() -> {
                    if (id == job) {
                        publish(state.with(Phase.DENOISED, 1).withMessages(null, "Could not save: " + msg, null));
                    }
                });
            }
        });
    }

    /** "talk.mp3" → "talk (denoised).wav". */
    static String copyName(String original) {
        String stem = original == null ? "audio" : original;
        int dot = stem.lastIndexOf('.');
        if (dot > 0) {
            stem = stem.substring(0, dot);
        }
        return stem + " (denoised).wav";
    }

    static String summary(AudioClip clip) {
        return String.format(Locale.ROOT, "%d Hz, %d channel%s, %.1f s", clip.sampleRate(), clip.channelCount(),
                clip.channelCount() == 1 ? "" : "s", clip.durationSeconds());
    }
}
