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
import org.tensorflow.lite.nnapi.NnApiDelegate;

/**
 * The voice model through the {@code tflite-models} adapter: model bytes and manifest from a
 * {@link Source} (the APK's assets on a phone), checked against the manifest when loaded.
 *
 * <p>CPU runs TFLite's built-in kernels, Auto tries XNNPACK first; NNAPI runs the int8 sibling of
 * the model through the 2.16.1 runtime's {@code NnApiDelegate}. GPU is refused with a reason
 * (the GPU delegate has no GRU kernels). Any failure reaches the caller, which falls back to the
 * classic path with a note.
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

    private final Source source;
    private final String dir;

    public TfliteVoiceModelLoader(Source source, String dir) {
        this.source = source;
        this.dir = dir;
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
        ModelFile file = load(delegate);
        if (!file.manifest().isSpectralMask()) {
            GainModel model = openGain(file, delegate);
            try {
                return new NeuralDenoiser(model, strength, true);
            } catch (RuntimeException doesNotFit) {
                model.close();
                throw doesNotFit;
            }
        }
        MaskModel model = delegate == DelegateChoice.NNAPI
                ? withNnapi(nnapi -> new DelegateOwningMaskModel(
                        TfliteMaskModel.open(file, new TfliteGainModel.Options(1, Delegate.CPU, nnapi)), nnapi))
                : onCpu(file, delegate, TfliteMaskModel::open);
        try {
            return new SpectralMaskDenoiser(model, strength);
        } catch (RuntimeException doesNotFit) {
            model.close();
            throw doesNotFit;
        }
    }

    /** The files for {@code delegate}: GPU refused, NNAPI takes the int8 sibling. */
    private ModelFile load(DelegateChoice delegate) throws Exception {
        if (delegate == DelegateChoice.GPU) {
            throw new UnsupportedOperationException("the GPU delegate has no GRU kernels for the voice model");
        }
        return load(delegate == DelegateChoice.NNAPI ? int8Sibling(dir) : dir);
    }

    private static GainModel openGain(ModelFile file, DelegateChoice delegate) throws Exception {
        if (delegate == DelegateChoice.NNAPI) {
            return withNnapi(nnapi -> new DelegateOwningModel(
                    TfliteGainModel.open(file, new TfliteGainModel.Options(1, Delegate.CPU, nnapi)), nnapi));
        }
        return onCpu(file, delegate, TfliteGainModel::open);
    }

    /** How a model kind opens a file. */
    private interface Opener<M> {
        M open(ModelFile file, TfliteGainModel.Options options) throws InvalidModelException;
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

    /** A mask model that closes the delegate it runs on after itself. */
    private static final class DelegateOwningMaskModel implements MaskModel {
        private final MaskModel model;
        private final NnApiDelegate delegate;

        DelegateOwningMaskModel(MaskModel model, NnApiDelegate delegate) {
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
