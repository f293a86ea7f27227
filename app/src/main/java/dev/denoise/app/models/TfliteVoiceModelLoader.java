package dev.denoise.app.models;

import dev.denoise.core.audio.rnn.GainModel;
import dev.denoise.tflite.Delegate;
import dev.denoise.tflite.ModelFile;
import dev.denoise.tflite.ModelManifest;
import dev.denoise.tflite.TfliteGainModel;
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

    @Override
    public String name() {
        return dir.substring(dir.lastIndexOf('/') + 1);
    }

    @Override
    public GainModel open(DelegateChoice delegate) throws Exception {
        if (delegate == DelegateChoice.GPU) {
            throw new UnsupportedOperationException("the GPU delegate has no GRU kernels for the voice model");
        }
        if (delegate == DelegateChoice.NNAPI) {
            return openWithNnapi(load(int8Sibling(dir)));
        }
        ModelFile file = load(dir);
        if (delegate == DelegateChoice.CPU) {
            return TfliteGainModel.open(file, new TfliteGainModel.Options(1, Delegate.CPU));
        }
        try {
            return TfliteGainModel.open(file, new TfliteGainModel.Options(1, Delegate.XNNPACK));
        } catch (Exception xnnpackFailed) {
            return TfliteGainModel.open(file, new TfliteGainModel.Options(1, Delegate.CPU));
        }
    }

    /** NNAPI is meant for int8 graphs: {@code X_float32} becomes {@code X_int8}. */
    static String int8Sibling(String dir) {
        return dir.endsWith("_float32") ? dir.substring(0, dir.length() - "_float32".length()) + "_int8" : dir;
    }

    private static GainModel openWithNnapi(ModelFile file) throws Exception {
        NnApiDelegate nnapi = new NnApiDelegate(); // loads the TFLite JNI library: may throw a LinkageError
        try {
            return new DelegateOwningModel(
                    TfliteGainModel.open(file, new TfliteGainModel.Options(1, Delegate.CPU, nnapi)), nnapi);
        } catch (Exception | Error e) {
            nnapi.close();
            throw e;
        }
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
}
