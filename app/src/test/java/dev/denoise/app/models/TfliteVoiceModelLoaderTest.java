package dev.denoise.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
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
}
