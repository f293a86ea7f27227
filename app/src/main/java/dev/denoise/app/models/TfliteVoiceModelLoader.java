package dev.denoise.app.models;

import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.mask.MaskModel;
import dev.denoise.core.audio.mask.SpectralMaskDenoiser;
import dev.denoise.core.audio.rnn.GainModel;
import dev.denoise.core.audio.rnn.NeuralDenoiser;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;
import dev.denoise.tflite.Delegate;
import dev.denoise.tflite.InvalidModelException;
import dev.denoise.tflite.ModelFile;
import dev.denoise.tflite.ModelManifest;
import dev.denoise.tflite.TfliteGainModel;
import dev.denoise.tflite.TfliteMaskModel;
import dev.denoise.tflite.VoiceModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.tensorflow.lite.gpu.GpuDelegate;
import org.tensorflow.lite.nnapi.NnApiDelegate;

/**
 * The voice model through the {@code tflite-models} adapter: model bytes and manifest from a
 * {@link Source} (the APK's assets on a phone), checked against the manifest when loaded.
 *
 * <p>CPU runs TFLite's built-in kernels, Auto tries XNNPACK first; NNAPI runs the int8 sibling of
 * the model through the 2.16.1 runtime's {@code NnApiDelegate}. GPU depends on the model
 * ({@link #gpuRefusal}): recurrent models are refused with the reason naming their recurrent layer
 * (the band-gain model's GRU, the CRN's LSTM); the convolution-only U-Net tries the GPU delegate
 * and, when the delegate does not load or refuses the graph, runs on the CPU (XNNPACK, then the
 * built-in kernels) with a note saying so ({@link #openDenoiserWithNote}). Any other failure
 * reaches the caller, which falls back to the classic path with a note.
 *
 * <p>Kinds: {@link #openDenoiser} opens band-gain models (RNNoise-style, the default) and
 * spectral-mask models (U-Net, CRN; manifest {@code "kind": "spectral_mask"}) by what the
 * manifest says; {@link #open} only band-gain ones. {@link #named} picks a bundled model by its
 * short name ({@link VoiceModels#NAMES}).
 */
public final class TfliteVoiceModelLoader implements VoiceModelLoader {
    /** The model the app ships: float32 (the int8 one runs reference kernels on the 2.x runtimes). */
    public static final String DEFAULT_DIR = "models/voice/voice_rnnoise_small_float32";

    /** Where the files come from. */
    public interface Source {
        InputStream open(String path) throws IOException;
    }

    /** The note when the GPU delegate failed and the CPU runs the model instead. */
    static final String GPU_FELL_BACK = "GPU delegate failed (%s): the voice model runs on the CPU.";

    private final Source source;
    private final String dir;
    private final Opener<MaskModel> maskOpener;

    public TfliteVoiceModelLoader(Source source, String dir) {
        this(source, dir, TfliteMaskModel::open);
    }

    /** With another way to open mask models (tests: a stand-in where this JVM lacks the runtime). */
    TfliteVoiceModelLoader(Source source, String dir, Opener<MaskModel> maskOpener) {
        this.source = source;
        this.dir = dir;
        this.maskOpener = maskOpener;
    }

    /**
     * The loader of a bundled model by short name: {@code unet} reads
     * {@code models/voice/voice_unet_small_float32/}.
     *
     * @throws InvalidModelException when the name is not one of {@link VoiceModels#NAMES}
     */
    public static TfliteVoiceModelLoader named(Source source, String shortName) throws InvalidModelException {
        String folder = VoiceModels.resourceFolder(shortName);
        return new TfliteVoiceModelLoader(source, folder.substring(0, folder.length() - 1));
    }

    @Override
    public String name() {
        return dir.substring(dir.lastIndexOf('/') + 1);
    }

    @Override
    public GainModel open(DelegateChoice delegate) throws Exception {
        ModelFile file = load(delegate);
        if (file.manifest().isSpectralMask()) {
            throw new InvalidModelException(name() + " is a spectral-mask model; it runs through openDenoiser, "
                    + "not as a band-gain model");
        }
        return openGain(file, delegate);
    }

    /** A {@link SpectralMaskDenoiser} or a {@link NeuralDenoiser}, by the manifest's kind. */
    @Override
    public NeuralVoiceStage openDenoiser(DelegateChoice delegate, Strength strength) throws Exception {
        return openDenoiserWithNote(delegate, strength).denoiser();
    }

    /**
     * As {@link #openDenoiser}; the note says when the model runs other than asked (GPU chosen,
     * the delegate failed, the CPU runs it).
     */
    @Override
    public Opened openDenoiserWithNote(DelegateChoice delegate, Strength strength) throws Exception {
        ModelFile file = load(delegate);
        if (!file.manifest().isSpectralMask()) {
            GainModel model = openGain(file, delegate);
            try {
                return new Opened(new NeuralDenoiser(model, strength, true), null);
            } catch (RuntimeException doesNotFit) {
                model.close();
                throw doesNotFit;
            }
        }
        String note = null;
        MaskModel model;
        if (delegate == DelegateChoice.NNAPI) {
            model = withNnapi(nnapi -> new DelegateOwningMaskModel(
                    maskOpener.open(file, new TfliteGainModel.Options(1, Delegate.CPU, nnapi)), nnapi));
        } else if (delegate == DelegateChoice.GPU) {
            try {
                model = onGpu(file);
            } catch (Exception | LinkageError gpuFailed) {
                String why = message(gpuFailed);
                model = cpuAfterGpuFailed(file, why);
                note = String.format(GPU_FELL_BACK, why);
            }
        } else {
            model = onCpu(file, delegate, maskOpener);
        }
        try {
            return new Opened(new SpectralMaskDenoiser(model, strength), note);
        } catch (RuntimeException doesNotFit) {
            model.close();
            throw doesNotFit;
        }
    }

    /** The CPU fallback after the GPU delegate failed; when that fails too, both reasons. */
    private MaskModel cpuAfterGpuFailed(ModelFile file, String gpuFailure) throws Exception {
        try {
            return onCpu(file, DelegateChoice.AUTO, maskOpener);
        } catch (Exception | LinkageError cpuFailed) {
            throw new Exception("GPU delegate failed (" + gpuFailure + "); then the CPU failed: "
                    + message(cpuFailed), cpuFailed);
        }
    }

    /** The mask model on a fresh GPU delegate that it closes after itself; the delegate is closed on failure. */
    private MaskModel onGpu(ModelFile file) throws Exception {
        GpuDelegate gpu = new GpuDelegate(); // loads the GPU delegate's JNI library: may throw a LinkageError
        try {
            return new DelegateOwningMaskModel(maskOpener.open(file, new TfliteGainModel.Options(1, Delegate.CPU, gpu)),
                    gpu);
        } catch (Exception | Error e) {
            gpu.close();
            throw e;
        }
    }

    /**
     * Why the GPU delegate is not tried for the model described by {@code manifest}, or null when
     * it may be. The graphs carry their recurrent cells unrolled into plain operators, so the
     * manifest's kind and {@code architecture} say what the model is: a band-gain model is a GRU
     * network, a CRN has an LSTM, a U-Net is convolutions only. Unknown architectures are refused.
     */
    static String gpuRefusal(ModelManifest manifest) throws InvalidModelException {
        if (!manifest.isSpectralMask()) {
            return "the GPU delegate has no GRU kernels for the band-gain voice model";
        }
        Object architecture = manifest.fields().get("architecture");
        if ("unet".equals(architecture)) {
            return null;
        }
        if ("crn".equals(architecture)) {
            return "the GPU delegate has no LSTM kernels for the CRN voice model";
        }
        return "the GPU delegate is only tried for the convolution-only U-Net; this model's architecture is "
                + (architecture == null ? "not given" : "\"" + architecture + "\"");
    }

    /** The files for {@code delegate}: NNAPI takes the int8 sibling; GPU refused by {@link #gpuRefusal}. */
    private ModelFile load(DelegateChoice delegate) throws Exception {
        ModelFile file = load(delegate == DelegateChoice.NNAPI ? int8Sibling(dir) : dir);
        if (delegate == DelegateChoice.GPU) {
            String refusal = gpuRefusal(file.manifest());
            if (refusal != null) {
                throw new UnsupportedOperationException(refusal);
            }
        }
        return file;
    }

    /** The first sentence of {@code t}'s message, at most 80 characters: notes combine several. */
    static String message(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int stop = m.indexOf(". ");
        if (stop > 0) {
            m = m.substring(0, stop);
        }
        return m.length() > 80 ? m.substring(0, 77) + "..." : m;
    }

    private static GainModel openGain(ModelFile file, DelegateChoice delegate) throws Exception {
        if (delegate == DelegateChoice.NNAPI) {
            return withNnapi(nnapi -> new DelegateOwningModel(
                    TfliteGainModel.open(file, new TfliteGainModel.Options(1, Delegate.CPU, nnapi)), nnapi));
        }
        return onCpu(file, delegate, TfliteGainModel::open);
    }

    /** How a model kind opens a file. */
    interface Opener<M> {
        M open(ModelFile file, TfliteGainModel.Options options) throws Exception;
    }

    /** CPU: built-in kernels; Auto: XNNPACK, then the built-in kernels. */
    private static <M> M onCpu(ModelFile file, DelegateChoice delegate, Opener<M> opener) throws Exception {
        if (delegate == DelegateChoice.CPU) {
            return opener.open(file, new TfliteGainModel.Options(1, Delegate.CPU));
        }
        try {
            return opener.open(file, new TfliteGainModel.Options(1, Delegate.XNNPACK));
        } catch (Exception xnnpackFailed) {
            return opener.open(file, new TfliteGainModel.Options(1, Delegate.CPU));
        }
    }

    /** A model on a fresh NNAPI delegate that it closes after itself; the delegate is closed on failure. */
    private interface NnapiOpener<M> {
        M open(NnApiDelegate nnapi) throws Exception;
    }

    private static <M> M withNnapi(NnapiOpener<M> opener) throws Exception {
        NnApiDelegate nnapi = new NnApiDelegate(); // loads the TFLite JNI library: may throw a LinkageError
        try {
            return opener.open(nnapi);
        } catch (Exception | Error e) {
            nnapi.close();
            throw e;
        }
    }

    /** NNAPI is meant for int8 graphs: {@code X_float32} becomes {@code X_int8}. */
    static String int8Sibling(String dir) {
        return dir.endsWith("_float32") ? dir.substring(0, dir.length() - "_float32".length()) + "_int8" : dir;
    }

    private ModelFile load(String modelDir) throws Exception {
        ModelManifest manifest;
        byte[] model;
        try (InputStream m = source.open(modelDir + "/manifest.json")) {
            manifest = ModelManifest.parse(new String(m.readAllBytes(), StandardCharsets.UTF_8),
                    modelDir + "/manifest.json");
        }
        try (InputStream in = source.open(modelDir + "/model.tflite")) {
            model = in.readAllBytes();
        }
        return ModelFile.of(ByteBuffer.wrap(model), manifest, modelDir + "/model.tflite");
    }

    /** A model that closes the delegate it runs on after itself. */
    private static final class DelegateOwningModel implements GainModel {
        private final GainModel model;
        private final NnApiDelegate delegate;

        DelegateOwningModel(GainModel model, NnApiDelegate delegate) {
            this.model = model;
            this.delegate = delegate;
        }

        @Override
        public int featureVersion() {
            return model.featureVersion();
        }

        @Override
        public int featureCount() {
            return model.featureCount();
        }

        @Override
        public int bandCount() {
            return model.bandCount();
        }

        @Override
        public float infer(float[] features, float[] gains) {
            return model.infer(features, gains);
        }

        @Override
        public void reset() {
            model.reset();
        }

        @Override
        public void close() {
            try {
                model.close();
            } finally {
                delegate.close();
            }
        }
    }

    /** A mask model that closes the delegate it runs on (NNAPI, GPU) after itself. */
    private static final class DelegateOwningMaskModel implements MaskModel {
        private final MaskModel model;
        private final org.tensorflow.lite.Delegate delegate;

        DelegateOwningMaskModel(MaskModel model, org.tensorflow.lite.Delegate delegate) {
            this.model = model;
            this.delegate = delegate;
        }

        @Override
        public int bins() {
            return model.bins();
        }

        @Override
        public boolean complexMask() {
            return model.complexMask();
        }

        @Override
        public void infer(float[] lnPower, float[] maskRe, float[] maskIm) {
            model.infer(lnPower, maskRe, maskIm);
        }

        @Override
        public void reset() {
            model.reset();
        }

        @Override
        public void close() {
            try {
                model.close();
            } finally {
                delegate.close();
            }
        }
    }
}
