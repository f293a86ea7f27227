package dev.denoise.app.models;

import dev.denoise.app.photos.PhotoModelLoader;
import dev.denoise.core.image.ImageModel;
import dev.denoise.tflite.Delegate;
import dev.denoise.tflite.ModelFile;
import dev.denoise.tflite.ModelManifest;
import dev.denoise.tflite.TfliteImageModel;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.lite.gpu.CompatibilityList;
import org.tensorflow.lite.gpu.GpuDelegate;
import org.tensorflow.lite.nnapi.NnApiDelegate;

/**
 * The photo model (FFDNet-style CNN) through {@code tflite-models}' {@link TfliteImageModel}, with
 * a fallback chain per {@link DelegateChoice}:
 *
 * <ul>
 *   <li>GPU: the float32 model on the GPU delegate (when the device's GPU is on the delegate's
 *       compatibility list), then CPU;
 *   <li>NNAPI: the int8 model through {@code NnApiDelegate}, then CPU;
 *   <li>CPU: the int8 model with XNNPACK, then TFLite's built-in kernels;
 *   <li>Auto: GPU when compatible, then CPU.
 * </ul>
 *
 * Each step's failure, {@link Error}s included (an {@code UnsatisfiedLinkError} where the 4 KB
 * aligned JNI library cannot load), is remembered; when every step fails the exception lists them
 * and the caller runs the classic path. The model bytes and manifest come from a
 * {@link TfliteVoiceModelLoader.Source} (the APK's stored assets) and are checked at load.
 */
public final class TflitePhotoModelLoader implements PhotoModelLoader {
    public static final String FLOAT32_DIR = "models/photo/photo_ffdnet_small_float32";
    public static final String INT8_DIR = "models/photo/photo_ffdnet_small_int8";
    /** Largest tile side the interpreter is prepared for (its arena is about 40 · side² bytes). */
    public static final int MAX_SIDE = 1024;

    private final TfliteVoiceModelLoader.Source source;
    private final int threads;

    public TflitePhotoModelLoader(TfliteVoiceModelLoader.Source source, int threads) {
        this.source = source;
        this.threads = Math.max(1, threads);
    }

    /** One way to run the model. */
    private interface Attempt {
        Opened run() throws Exception;
    }

    @Override
    public Opened open(DelegateChoice delegate) throws Exception {
        List<String> names = new ArrayList<>();
        List<Attempt> chain = new ArrayList<>();
        if (delegate == DelegateChoice.GPU || delegate == DelegateChoice.AUTO) {
            names.add("GPU");
            chain.add(() -> openGpu(delegate == DelegateChoice.AUTO));
        }
        if (delegate == DelegateChoice.NNAPI) {
            names.add("NNAPI");
            chain.add(this::openNnapi);
        }
        names.add("CPU (XNNPACK)");
        chain.add(() -> openCpu(Delegate.XNNPACK, "CPU (XNNPACK), int8"));
        names.add("CPU");
        chain.add(() -> openCpu(Delegate.CPU, "CPU, int8"));
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < chain.size(); i++) {
            try {
                Opened o = chain.get(i).run();
                if (failures.length() > 0) {
                    return new Opened(o.model(), o.runsOn() + " (" + failures + ")");
                }
                return o;
            } catch (Exception | LinkageError e) {
                if (failures.length() > 0) {
                    failures.append("; ");
                }
                failures.append(names.get(i)).append(" failed: ").append(
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        throw new Exception(failures.toString());
    }

    private Opened openGpu(boolean onlyIfListed) throws Exception {
        if (onlyIfListed) {
            try (CompatibilityList list = new CompatibilityList()) {
                if (!list.isDelegateSupportedOnThisDevice()) {
                    throw new UnsupportedOperationException("this GPU is not on the delegate's compatibility list");
                }
            }
        }
        GpuDelegate gpu = new GpuDelegate();
        try {
            ImageModel m = TfliteImageModel.open(load(FLOAT32_DIR),
                    new TfliteImageModel.Options(threads, Delegate.CPU, MAX_SIDE, gpu));
            return new Opened(new DelegateOwningModel(m, gpu), "GPU, float32");
        } catch (Exception | Error e) {
            gpu.close();
            throw e;
        }
    }

    private Opened openNnapi() throws Exception {
        NnApiDelegate nnapi = new NnApiDelegate();
        try {
            ImageModel m = TfliteImageModel.open(load(INT8_DIR),
                    new TfliteImageModel.Options(threads, Delegate.CPU, MAX_SIDE, nnapi));
            return new Opened(new DelegateOwningModel(m, nnapi), "NNAPI, int8");
        } catch (Exception | Error e) {
            nnapi.close();
            throw e;
        }
    }

    private Opened openCpu(Delegate delegate, String label) throws Exception {
        return new Opened(TfliteImageModel.open(load(INT8_DIR),
                new TfliteImageModel.Options(threads, delegate, MAX_SIDE)), label);
    }

    private ModelFile load(String dir) throws Exception {
        ModelManifest manifest;
        byte[] model;
        try (InputStream m = source.open(dir + "/manifest.json")) {
            manifest = ModelManifest.parse(new String(m.readAllBytes(), StandardCharsets.UTF_8), dir + "/manifest.json");
        }
        try (InputStream in = source.open(dir + "/model.tflite")) {
            model = in.readAllBytes();
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(model.length);
        direct.put(model).rewind();
        return ModelFile.of(direct, manifest, dir + "/model.tflite");
    }

    /** A model that closes the delegate it runs on after itself. */
    private static final class DelegateOwningModel implements ImageModel {
        private final ImageModel model;
        private final AutoCloseable delegate;

        DelegateOwningModel(ImageModel model, AutoCloseable delegate) {
            this.model = model;
            this.delegate = delegate;
        }

        @Override
        public int sizeMultiple() {
            return model.sizeMultiple();
        }

        @Override
        public int receptiveRadius() {
            return model.receptiveRadius();
        }

        @Override
        public int maxSide() {
            return model.maxSide();
        }

        @Override
        public double maxSigma255() {
            return model.maxSigma255();
        }

        @Override
        public void denoise(float[][] rgb, int width, int height, double sigma255, float[][] out) {
            model.denoise(rgb, width, height, sigma255, out);
        }

        @Override
        public String name() {
            return model.name();
        }

        @Override
        public void close() {
            try {
                model.close();
            } finally {
                try {
                    delegate.close();
                } catch (Exception ignored) {
                    // The delegate's native handle is freed or lost either way.
                }
            }
        }
    }
}
