package dev.denoise.app.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.app.files.FileUiState.Phase;
import dev.denoise.app.files.FileUiState.Version;
import dev.denoise.app.models.DelegateChoice;
import dev.denoise.app.models.VoiceModelLoader;
import dev.denoise.app.voice.ConstantMaskModel;
import dev.denoise.app.voice.LiveVoiceControllerTest;
import dev.denoise.app.voice.VoiceMode;
import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.mask.SpectralMaskDenoiser;
import dev.denoise.core.audio.rnn.GainModel;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavEncoding;
import dev.denoise.core.audio.wav.WavFiles;
import dev.denoise.core.metrics.SiSdr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import dev.denoise.tflite.InvalidModelException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files flow end to end on WAV files, with work run inline (a direct executor). */
class FileDenoiseControllerTest {
    static final int RATE = 16000;

    @TempDir
    Path dir;
    RecordingPlatform platform;
    FileDenoiseController files;
    final List<FileUiState> seen = new ArrayList<>();
    float[] clean;
    float[] noisy;

    static final class RecordingPlatform implements FilePlatform {
        final List<AudioClip> saved = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        AudioClip playing;
        int startFrame = -1;

        @Override
        public String saveCopy(AudioClip clip, String displayName) {
            saved.add(clip);
            names.add(displayName);
            return "Music/Denoiser/" + displayName;
        }

        @Override
        public void play(AudioClip clip, int startFrame, Runnable onEnd) {
            playing = clip;
            this.startFrame = startFrame;
        }

        @Override
        public int stopPlayback() {
            playing = null;
            return 1234;
        }
    }

    static AudioSource file(Path p) {
        return new AudioSource() {
            @Override
            public String displayName() {
                return p.getFileName().toString();
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(p);
            }
        };
    }

    @BeforeEach
    void setUp() {
        platform = new RecordingPlatform();
        Executor direct = Runnable::run;
        files = new FileDenoiseController(new WavDecoder(null), platform, null, direct, direct);
        files.setListener(seen::add);
        clean = SpeechLikeSignal.speech(RATE, 5, 31);
        noisy = SpeechLikeSignal.mix(clean, SpeechLikeSignal.noise(RATE, 5, 0.4, true, 32), 0);
    }

    @Test
    void wavIsDecodedDenoisedAndSavedAsACopy() throws Exception {
        Path in = dir.resolve("talk.wav");
        WavFiles.write(in, AudioClip.mono(RATE, noisy), WavEncoding.PCM_S16);
        byte[] originalBytes = Files.readAllBytes(in);

        files.open(file(in));
        assertEquals(Phase.READY, files.state().phase());
        assertEquals("16000 Hz, 1 channel, 5.0 s", files.state().summary());
        assertTrue(seen.stream().anyMatch(s -> s.phase() == Phase.DECODING));

        files.denoise(DelegateChoice.AUTO);
        assertEquals(Phase.DENOISED, files.state().phase());
        assertTrue(seen.stream().anyMatch(s -> s.phase() == Phase.DENOISING && s.progress() > 0 && s.progress() < 1));
        AudioClip out = files.denoised();
        assertEquals(noisy.length, out.frameCount());
        int skip = RATE;
        float[] ref = Arrays.copyOfRange(clean, skip, clean.length);
        double before = SiSdr.db(ref, Arrays.copyOfRange(files.original().channel(0), skip, clean.length));
        double after = SiSdr.db(ref, Arrays.copyOfRange(out.channel(0), skip, clean.length));
        assertTrue(after > before + 3, "SI-SDR " + before + " -> " + after);

        files.save();
        assertEquals(List.of("talk (denoised).wav"), platform.names);
        assertEquals("Music/Denoiser/talk (denoised).wav", files.state().savedAs());
        assertArrayEquals(originalBytes, Files.readAllBytes(in), "the original changed");
    }

    @Test
    void corruptFileGivesAnErrorState() throws Exception {
        Path bad = dir.resolve("broken.wav");
        byte[] header = "RIFF\u0000\u0000\u0000\u0000WAVEfmt garbage-garbage".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(bad, header);
        files.open(file(bad));
        assertEquals(Phase.ERROR, files.state().phase());
        assertTrue(files.state().error().startsWith("Cannot read broken.wav"), files.state().error());
        assertNull(files.original());
    }

    @Test
    void notAWavWithoutAPlatformDecoderIsAnError() throws Exception {
        Path mp3 = dir.resolve("song.mp3");
        Files.write(mp3, new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        files.open(file(mp3));
        assertEquals(Phase.ERROR, files.state().phase());
        assertTrue(files.state().error().contains("not a WAV file"), files.state().error());
    }

    @Test
    void cancelStopsDenoisingAndKeepsTheOriginal() throws Exception {
        Path in = dir.resolve("talk.wav");
        WavFiles.write(in, AudioClip.mono(RATE, noisy), WavEncoding.PCM_S16);
        files.open(file(in));
        files.setListener(s -> {
            if (s.phase() == Phase.DENOISING && s.progress() > 0.2) {
                files.cancel();
            }
        });
        files.denoise(DelegateChoice.AUTO);
        assertEquals(Phase.READY, files.state().phase());
        assertEquals("Cancelled.", files.state().note());
        assertNull(files.denoised());
        assertNotNull(files.original());
    }

    @Test
    void neuralWithABrokenModelFallsBackToClassicWithANote() throws Exception {
        Executor direct = Runnable::run;
        files = new FileDenoiseController(new WavDecoder(null), platform,
                LiveVoiceControllerTest.brokenNativeModel(), direct, direct);
        Path in = dir.resolve("talk.wav");
        WavFiles.write(in, AudioClip.mono(RATE, noisy), WavEncoding.PCM_S16);
        files.open(file(in));
        files.setMode(VoiceMode.NEURAL);
        files.denoise(DelegateChoice.AUTO);
        assertEquals(Phase.DENOISED, files.state().phase());
        assertTrue(files.state().note().contains("Using Classic"), files.state().note());
    }

    /**
     * A spectral-mask voice model (a U-Net or CRN stand-in: one 0.25 gain in every bin) as the
     * default model: like the real loader, it refuses the band-gain API and opens only as a whole
     * denoiser. The files path must open it the way the live path does, one per channel, and run
     * it (every sample quartered), not fall back to Classic.
     */
    static class MaskModelLoader implements VoiceModelLoader {
        final List<ConstantMaskModel> opened = new ArrayList<>();

        @Override
        public GainModel open(DelegateChoice delegate) throws Exception {
            throw new InvalidModelException("mask stand-in is a spectral-mask model; it runs through openDenoiser, "
                    + "not as a band-gain model");
        }

        @Override
        public NeuralVoiceStage openDenoiser(DelegateChoice delegate, Strength strength) {
            ConstantMaskModel m = new ConstantMaskModel(0.25f);
            opened.add(m);
            return new SpectralMaskDenoiser(m, strength);
        }

        @Override
        public String name() {
            return "mask stand-in";
        }
    }

    @Test
    void neuralRunsASpectralMaskModelNotTheClassicFallback() throws Exception {
        MaskModelLoader loader = new MaskModelLoader();
        Executor direct = Runnable::run;
        files = new FileDenoiseController(new WavDecoder(null), platform, loader, direct, direct);
        int rate = 48000;
        float[] left = SpeechLikeSignal.mix(SpeechLikeSignal.speech(rate, 2, 41),
                SpeechLikeSignal.noise(rate, 2, 0.4, true, 42), 5);
        float[] right = SpeechLikeSignal.mix(SpeechLikeSignal.speech(rate, 2, 43),
                SpeechLikeSignal.noise(rate, 2, 0.4, true, 44), 5);
        Path in = dir.resolve("stereo.wav");
        WavFiles.write(in, new AudioClip(rate, new float[][] {left, right}), WavEncoding.PCM_S16);
        files.open(file(in));
        files.setMode(VoiceMode.NEURAL);
        files.denoise(DelegateChoice.AUTO);

        assertEquals(Phase.DENOISED, files.state().phase(), files.state().error());
        assertNull(files.state().note(), "no fallback note expected");
        assertEquals(2, loader.opened.size(), "one model per channel");
        assertTrue(loader.opened.stream().allMatch(m -> m.closed), "every model is closed after the run");
        int hop = 480;
        for (ConstantMaskModel m : loader.opened) {
            // Warmed on the file's first second (backwards) before its 2 s: 300 frames, not 200.
            int warmFrames = (int) (NeuralVoiceStage.FILE_WARM_UP_SECONDS * rate) / hop;
            assertTrue(m.frames >= 2 * rate / hop + warmFrames, "frames inferred: " + m.frames);
        }
        AudioClip out = files.denoised();
        for (int c = 0; c < 2; c++) {
            float[] x = files.original().channel(c);
            float[] y = out.channel(c);
            assertEquals(x.length, y.length);
            for (int n = 2 * hop; n < x.length - 2 * hop; n++) {
                assertEquals(0.25f * x[n], y[n], 1e-4f, "channel " + c + " sample " + n);
            }
        }
    }

    /** At 16 kHz the mask model runs inside the resampler, as the band-gain model does. */
    @Test
    void aSpectralMaskModelRunsAtOtherRatesThroughTheResampler() throws Exception {
        MaskModelLoader loader = new MaskModelLoader();
        Executor direct = Runnable::run;
        files = new FileDenoiseController(new WavDecoder(null), platform, loader, direct, direct);
        Path in = dir.resolve("talk.wav");
        WavFiles.write(in, AudioClip.mono(RATE, noisy), WavEncoding.PCM_S16);
        files.open(file(in));
        files.setMode(VoiceMode.NEURAL);
        files.denoise(DelegateChoice.CPU);
        assertEquals(Phase.DENOISED, files.state().phase(), files.state().error());
        assertNull(files.state().note());
        assertEquals(1, loader.opened.size());
        float[] x = files.original().channel(0);
        float[] y = files.denoised().channel(0);
        double ex = 0;
        double ey = 0;
        for (int n = RATE; n < x.length - RATE; n++) {
            ex += x[n] * (double) x[n];
            ey += y[n] * (double) y[n];
        }
        assertEquals(0.25, Math.sqrt(ey / ex), 0.01, "RMS ratio");
    }

    /** A model that runs other than asked (GPU failed, the CPU runs it) says so on the files screen too. */
    @Test
    void aLoadedModelsFallbackNoteIsShown() throws Exception {
        String gpuNote = "GPU delegate failed (no OpenCL): the voice model runs on the CPU.";
        MaskModelLoader loader = new MaskModelLoader() {
            @Override
            public Opened openDenoiserWithNote(DelegateChoice delegate, Strength strength) {
                return new Opened(openDenoiser(delegate, strength), gpuNote);
            }
        };
        Executor direct = Runnable::run;
        files = new FileDenoiseController(new WavDecoder(null), platform, loader, direct, direct);
        Path in = dir.resolve("talk.wav");
        WavFiles.write(in, AudioClip.mono(RATE, noisy), WavEncoding.PCM_S16);
        files.open(file(in));
        files.setMode(VoiceMode.NEURAL);
        files.denoise(DelegateChoice.GPU);
        assertEquals(Phase.DENOISED, files.state().phase(), files.state().error());
        assertEquals(gpuNote, files.state().note());
        assertEquals(1, loader.opened.size());
    }

    @Test
    void abSwitchKeepsThePlaybackPosition() throws Exception {
        Path in = dir.resolve("talk.wav");
        WavFiles.write(in, AudioClip.mono(RATE, noisy), WavEncoding.PCM_S16);
        files.open(file(in));
        files.denoise(DelegateChoice.AUTO);
        files.play(Version.ORIGINAL);
        assertEquals(0, platform.startFrame);
        assertTrue(platform.playing == files.original());
        files.play(Version.DENOISED);
        assertEquals(1234, platform.startFrame);
        assertTrue(platform.playing == files.denoised());
        assertEquals(Version.DENOISED, files.state().playing());
    }
}
