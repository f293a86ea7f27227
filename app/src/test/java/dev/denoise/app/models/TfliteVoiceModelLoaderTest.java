package dev.denoise.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.app.voice.ConstantMaskModel;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.mask.SpectralMaskDenoiser;
import dev.denoise.tflite.Delegate;
import dev.denoise.tflite.InvalidModelException;
import dev.denoise.tflite.ModelManifest;
import dev.denoise.tflite.TfliteGainModel;
import dev.denoise.tflite.VoiceModels;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real loader over the shipped model files. On this JVM the Android TFLite runtime's JNI
 * library cannot load (as on a 16 KB-page phone), so every path must end in a note, not a throw.
 */
class TfliteVoiceModelLoaderTest {
    static final TfliteVoiceModelLoader.Source CLASSPATH = path -> {
        var in = TfliteVoiceModelLoaderTest.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new FileNotFoundException(path);
        }
        return in;
    };

    @Test
    void nativeLibraryThatCannotLoadFallsBackWithANote() {
        for (DelegateChoice d : DelegateChoice.values()) {
            ModelOutcome o = ModelOutcome.open(new TfliteVoiceModelLoader(CLASSPATH, TfliteVoiceModelLoader.DEFAULT_DIR), d);
            assertFalse(o.loaded(), d.name());
            assertNull(o.model());
            assertTrue(o.note().startsWith("Neural model failed (" + d.label() + ")"), o.note());
            assertTrue(o.note().endsWith("Using Classic."), o.note());
        }
    }

    @Test
    void missingModelFilesFallBackWithANote() {
        ModelOutcome o = ModelOutcome.open(new TfliteVoiceModelLoader(CLASSPATH, "models/voice/none"), DelegateChoice.CPU);
        assertFalse(o.loaded());
        assertTrue(o.note().contains("models/voice/none/manifest.json"), o.note());
    }

    @Test
    void gpuIsRefusedWithTheReason() {
        ModelOutcome o = ModelOutcome.open(new TfliteVoiceModelLoader(CLASSPATH, TfliteVoiceModelLoader.DEFAULT_DIR), DelegateChoice.GPU);
        assertTrue(o.note().contains("no GRU kernels"), o.note());
        DenoiserOutcome d = DenoiserOutcome.open(new TfliteVoiceModelLoader(CLASSPATH, TfliteVoiceModelLoader.DEFAULT_DIR),
                DelegateChoice.GPU, Strength.DEFAULT);
        assertTrue(d.note().contains("no GRU kernels"), d.note());
    }

    /**
     * The GPU refusal names the model's own recurrent layer: the bundled CRNs (magnitude and
     * complex mask, float32 and int8 manifests) have an LSTM, not a GRU.
     */
    @Test
    void gpuIsRefusedForTheCrnNamingItsLstm() throws Exception {
        for (String name : List.of("crn", "crn-int8", "crn-complex", "crn-complex-int8")) {
            String note = DenoiserOutcome.open(TfliteVoiceModelLoader.named(CLASSPATH, name), DelegateChoice.GPU,
                    Strength.DEFAULT).note();
            assertTrue(note.startsWith("Neural model failed (GPU)"), note);
            assertTrue(note.contains("no LSTM kernels"), name + ": " + note);
            assertFalse(note.contains("GRU"), name + ": " + note);
        }
    }

    /** Which models the GPU delegate is tried for, by the manifest's kind and architecture. */
    @Test
    void gpuRefusalFollowsTheArchitecture() throws Exception {
        for (String name : List.of("unet", "unet-int8")) {
            String dir = VoiceModels.resourceFolder(name);
            try (var in = CLASSPATH.open(dir + "manifest.json")) {
                assertNull(TfliteVoiceModelLoader.gpuRefusal(ModelManifest.parse(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8), name)), name);
            }
        }
        String unknown = TfliteVoiceModelLoader.gpuRefusal(ModelManifest.parse(
                maskManifest("960", null, "0".repeat(64)), "no architecture"));
        assertTrue(unknown.contains("only tried for the convolution-only U-Net"), unknown);
    }

    /**
     * The U-Net (convolutions only) may try the GPU delegate. On this JVM the delegate's JNI
     * library cannot load, so it always fails: the model then runs on the CPU (a stand-in opener
     * here, since the CPU runtime cannot load either), and the outcome carries a note saying so.
     */
    @Test
    void unetTriesTheGpuAndFallsBackToTheCpuWithANote() throws Exception {
        List<TfliteGainModel.Options> tried = new ArrayList<>();
        List<ConstantMaskModel> models = new ArrayList<>();
        TfliteVoiceModelLoader unet = new TfliteVoiceModelLoader(CLASSPATH, "models/voice/voice_unet_small_float32",
                (file, options) -> {
                    tried.add(options);
                    if (options.accelerator() != null) {
                        throw new InvalidModelException("the stand-in runs on the CPU only");
                    }
                    ConstantMaskModel m = new ConstantMaskModel(0.5f);
                    models.add(m);
                    return m;
                });
        DenoiserOutcome o = DenoiserOutcome.open(unet, DelegateChoice.GPU, Strength.DEFAULT);
        assertTrue(o.loaded(), o.note());
        assertTrue(o.denoiser() instanceof SpectralMaskDenoiser);
        assertTrue(o.note().startsWith("GPU delegate failed ("), o.note());
        assertTrue(o.note().endsWith("the voice model runs on the CPU."), o.note());
        assertEquals(1, tried.size(), "the CPU attempt after the delegate failed to load");
        assertEquals(Delegate.XNNPACK, tried.get(0).delegate());
        o.denoiser().close();
        assertTrue(models.get(0).closed);

        tried.clear();
        DenoiserOutcome cpu = DenoiserOutcome.open(unet, DelegateChoice.CPU, Strength.DEFAULT);
        assertTrue(cpu.loaded());
        assertNull(cpu.note(), "nothing fell back");
        assertEquals(Delegate.CPU, tried.get(0).delegate());
        cpu.denoiser().close();
    }

    /** With the real runtime on this JVM both the GPU and the CPU fail: Classic, with both reasons. */
    @Test
    void unetOnTheGpuWithNoRuntimeFallsBackToClassicNamingBothFailures() throws Exception {
        String note = DenoiserOutcome.open(TfliteVoiceModelLoader.named(CLASSPATH, "unet"), DelegateChoice.GPU,
                Strength.DEFAULT).note();
        assertTrue(note.startsWith("Neural model failed (GPU): GPU delegate failed ("), note);
        assertTrue(note.contains("then the CPU failed"), note);
        assertTrue(note.endsWith("Using Classic."), note);
    }

    @Test
    void nnapiRunsTheInt8SiblingThroughTheDelegate() {
        List<String> opened = new ArrayList<>();
        TfliteVoiceModelLoader.Source recording = path -> {
            opened.add(path);
            return CLASSPATH.open(path);
        };
        ModelOutcome o = ModelOutcome.open(
                new TfliteVoiceModelLoader(recording, TfliteVoiceModelLoader.DEFAULT_DIR), DelegateChoice.NNAPI);
        assertEquals(List.of("models/voice/voice_rnnoise_small_int8/manifest.json",
                "models/voice/voice_rnnoise_small_int8/model.tflite"), opened);
        // The files checked out; what fails on this JVM is the delegate's native library.
        assertFalse(o.loaded());
        assertTrue(o.note().startsWith("Neural model failed (NNAPI)"), o.note());
        assertFalse(o.note().contains("manifest"), o.note());
    }

    @Test
    void int8SiblingOfAFloatDirectory() {
        assertEquals("models/voice/m_int8", TfliteVoiceModelLoader.int8Sibling("models/voice/m_float32"));
        assertEquals("models/voice/m_int8", TfliteVoiceModelLoader.int8Sibling("models/voice/m_int8"));
    }

    @Test
    void noLoaderAtAllIsANoteToo() {
        assertTrue(ModelOutcome.open(null, DelegateChoice.AUTO).note().contains("Classic"));
    }

    /**
     * A spectral-mask manifest (the contract's fields) over arbitrary model bytes: enough to see
     * which adapter the loader routes to, since on this JVM the runtime itself cannot load.
     */
    static TfliteVoiceModelLoader.Source maskModelAt(String dir, String window, List<String> opened) throws Exception {
        byte[] model = "not a real flatbuffer".getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        String manifest = maskManifest(window, null, sha);
        return path -> {
            opened.add(path);
            if (path.equals(dir + "/model.tflite")) {
                return new ByteArrayInputStream(model);
            }
            if (path.equals(dir + "/manifest.json")) {
                return new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8));
            }
            throw new FileNotFoundException(path);
        };
    }

    /** A spectral-mask manifest with the contract's fields, and an architecture when not null. */
    static String maskManifest(String window, String architecture, String sha) {
        return "{\"format_version\": 1, \"kind\": \"spectral_mask\", \"sha256\": \"" + sha + "\", "
                + (architecture == null ? "" : "\"architecture\": \"" + architecture + "\", ")
                + "\"sample_rate\": 48000, \"window\": " + window + ", \"hop\": 480, \"fft_size\": 1024, "
                + "\"bins\": 513, \"input_transform\": \"ln(power + 1e-8)\", \"mask\": \"magnitude\", "
                + "\"algorithmic_latency_ms\": 20, \"params\": 1000, \"macs_per_frame\": 1000, "
                + "\"inputs\": [{\"name\": \"spectrum\", \"shape\": [1, 513], \"dtype\": \"float32\"}], "
                + "\"outputs\": [{\"name\": \"mask\", \"shape\": [1, 513], \"dtype\": \"float32\"}]}";
    }

    /**
     * A mask model opens by name as a denoiser: its folder is read and its manifest passes the
     * spectral-mask checks (a wrong window is reported), so what fails on this JVM is only the
     * native runtime; the band-gain API refuses it by kind.
     */
    @Test
    void maskModelsOpenByNameThroughTheMaskAdapter() throws Exception {
        List<String> opened = new ArrayList<>();
        String dir = "models/voice/voice_unet_small_float32";
        TfliteVoiceModelLoader unet = TfliteVoiceModelLoader.named(maskModelAt(dir, "960", opened), "unet");
        assertEquals("voice_unet_small_float32", unet.name());
        DenoiserOutcome o = DenoiserOutcome.open(unet, DelegateChoice.CPU, Strength.DEFAULT);
        assertFalse(o.loaded());
        assertEquals(List.of(dir + "/manifest.json", dir + "/model.tflite"), opened);
        assertTrue(o.note().startsWith("Neural model failed (CPU)"), o.note());
        assertFalse(o.note().contains("feature_version") || o.note().contains("manifest"), o.note());

        TfliteVoiceModelLoader wrongWindow = TfliteVoiceModelLoader.named(
                maskModelAt(dir, "1024", new ArrayList<>()), "unet");
        String note = DenoiserOutcome.open(wrongWindow, DelegateChoice.AUTO, Strength.DEFAULT).note();
        assertTrue(note.contains("window is 1024"), note);

        String asGain = ModelOutcome.open(unet, DelegateChoice.CPU).note();
        assertTrue(asGain.contains("spectral-mask model"), asGain);
        assertThrows(InvalidModelException.class, () -> TfliteVoiceModelLoader.named(CLASSPATH, "lstm"));
    }

    /** The default stays the RNNoise-style float32 model, through the denoiser API too. */
    @Test
    void theDefaultDenoiserIsStillTheShippedGainModel() {
        List<String> opened = new ArrayList<>();
        TfliteVoiceModelLoader.Source recording = path -> {
            opened.add(path);
            return CLASSPATH.open(path);
        };
        DenoiserOutcome o = DenoiserOutcome.open(
                new TfliteVoiceModelLoader(recording, TfliteVoiceModelLoader.DEFAULT_DIR), DelegateChoice.AUTO,
                Strength.DEFAULT);
        assertEquals(List.of("models/voice/voice_rnnoise_small_float32/manifest.json",
                "models/voice/voice_rnnoise_small_float32/model.tflite"), opened);
        assertFalse(o.loaded());
        assertTrue(o.note().startsWith("Neural model failed (Auto)"), o.note());
        assertTrue(DenoiserOutcome.open(null, DelegateChoice.AUTO, Strength.DEFAULT).note().contains("Classic"));
    }
}
