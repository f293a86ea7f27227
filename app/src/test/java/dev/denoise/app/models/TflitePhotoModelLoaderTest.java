package dev.denoise.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The photo model's fallback chains over the shipped files. On this JVM the Android runtime's JNI
 * libraries (TFLite, GPU delegate) cannot load, as on a 16 KB-page phone: every step fails, and
 * the exception lists each step in order, so the controller's note says what was tried.
 */
class TflitePhotoModelLoaderTest {

    private static List<String> steps(String message) {
        List<String> names = new ArrayList<>();
        for (String part : message.split("; ")) {
            names.add(part.substring(0, part.indexOf(" failed: ")));
        }
        return names;
    }

    @Test
    void eachChoiceWalksItsChainInOrder() {
        TflitePhotoModelLoader loader = new TflitePhotoModelLoader(TfliteVoiceModelLoaderTest.CLASSPATH, 2);
        assertEquals(List.of("GPU", "CPU (XNNPACK)", "CPU"),
                steps(assertThrows(Exception.class, () -> loader.open(DelegateChoice.AUTO)).getMessage()));
        assertEquals(List.of("GPU", "CPU (XNNPACK)", "CPU"),
                steps(assertThrows(Exception.class, () -> loader.open(DelegateChoice.GPU)).getMessage()));
        assertEquals(List.of("NNAPI", "CPU (XNNPACK)", "CPU"),
                steps(assertThrows(Exception.class, () -> loader.open(DelegateChoice.NNAPI)).getMessage()));
        assertEquals(List.of("CPU (XNNPACK)", "CPU"),
                steps(assertThrows(Exception.class, () -> loader.open(DelegateChoice.CPU)).getMessage()));
    }

    @Test
    void cpuRunsTheInt8ModelCheckedAgainstItsManifest() {
        List<String> opened = new ArrayList<>();
        TflitePhotoModelLoader loader = new TflitePhotoModelLoader(path -> {
            opened.add(path);
            return TfliteVoiceModelLoaderTest.CLASSPATH.open(path);
        }, 1);
        Exception e = assertThrows(Exception.class, () -> loader.open(DelegateChoice.CPU));
        String int8 = TflitePhotoModelLoader.INT8_DIR;
        assertEquals(List.of(int8 + "/manifest.json", int8 + "/model.tflite", int8 + "/manifest.json",
                int8 + "/model.tflite"), opened, e.getMessage());
    }

    @Test
    void aMissingModelIsNamed() {
        TflitePhotoModelLoader loader = new TflitePhotoModelLoader(path -> {
            throw new java.io.FileNotFoundException(path);
        }, 1);
        Exception e = assertThrows(Exception.class, () -> loader.open(DelegateChoice.CPU));
        assertTrue(e.getMessage().contains("CPU (XNNPACK) failed: " + TflitePhotoModelLoader.INT8_DIR + "/manifest.json"),
                e.getMessage());
    }
}
