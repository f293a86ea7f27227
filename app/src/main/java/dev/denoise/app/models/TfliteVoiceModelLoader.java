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

/**
 * The voice model through the {@code tflite-models} adapter: model bytes and manifest from a
 * {@link Source} (the APK's assets on a phone), checked against the manifest when loaded.
 *
 * <p>The adapter offers TFLite's CPU kernels with or without XNNPACK. GPU and NNAPI are refused
 * here with a reason (the GPU delegate has no GRU kernels; NNAPI needs a delegate hook the
 * adapter does not have yet), and the caller falls back to the classic path with that note.
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
        switch (delegate) {
            case GPU -> throw new UnsupportedOperationException(
                    "the GPU delegate has no GRU kernels for the voice model");
            case NNAPI -> throw new UnsupportedOperationException(
                    "NNAPI is not wired into the model adapter");
            default -> { }
        }
        ModelManifest manifest;
        byte[] model;
        try (InputStream m = source.open(dir + "/manifest.json")) {
            manifest = ModelManifest.parse(new String(m.readAllBytes(), StandardCharsets.UTF_8), dir + "/manifest.json");
        }
        try (InputStream in = source.open(dir + "/model.tflite")) {
            model = in.readAllBytes();
        }
        ModelFile file = ModelFile.of(ByteBuffer.wrap(model), manifest, dir + "/model.tflite");
        if (delegate == DelegateChoice.CPU) {
            return TfliteGainModel.open(file, new TfliteGainModel.Options(1, Delegate.CPU));
        }
        try {
            return TfliteGainModel.open(file, new TfliteGainModel.Options(1, Delegate.XNNPACK));
        } catch (Exception xnnpackFailed) {
            return TfliteGainModel.open(file, new TfliteGainModel.Options(1, Delegate.CPU));
        }
    }
}
