package dev.denoise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.android.apksig.ApkVerifier;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the APK that {@code mvn package} built (the tests run in the package phase, after the
 * {@code apk} goal): its binary manifest as aapt2 reads it, its signature as a device's
 * installer checks it (apksig), and the alignment of its stored entries.
 */
class ApkTest {
    private static File apk;
    private static String badging;

    @BeforeAll
    static void dumpBadging() throws Exception {
        apk = new File(System.getProperty("apk"));
        assertTrue(apk.isFile(), "no APK at " + apk);
        Process p = new ProcessBuilder(System.getProperty("aapt2"), "dump", "badging", apk.getPath())
                .redirectErrorStream(true).start();
        badging = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), badging);
    }

    @Test
    void manifestNamesThePackageAndSdkLevels() {
        assertTrue(badging.startsWith("package: name='dev.denoise.app' versionCode='1'"), badging);
        assertTrue(badging.contains("\nminSdkVersion:'26'\n"), badging);
        assertTrue(badging.contains("\ntargetSdkVersion:'35'\n"), badging);
    }

    @Test
    void mainActivityIsTheLauncher() {
        assertTrue(badging.contains("launchable-activity: name='dev.denoise.app.MainActivity'"), badging);
    }

    @Test
    void noInternetPermission() {
        assertFalse(badging.contains("android.permission.INTERNET"), badging);
    }

    @Test
    void signatureVerifiesWithV2AndV3() throws Exception {
        ApkVerifier.Result result = new ApkVerifier.Builder(apk).build().verify();
        assertTrue(result.isVerified(), () -> "errors: " + result.getErrors());
        assertTrue(result.isVerifiedUsingV2Scheme());
        assertTrue(result.isVerifiedUsingV3Scheme());
        assertEquals(1, result.getSignerCertificates().size());
    }

    @Test
    void dexFilesHoldTheAppAndTheCore() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Entry e : readEntries()) {
            if (e.name.matches("classes\\d*\\.dex")) {
                all.append(new String(entryData(e.name), StandardCharsets.ISO_8859_1));
            }
        }
        String dex = all.toString();
        assertTrue(dex.contains("Ldev/denoise/app/MainActivity;"));
        assertTrue(dex.contains("Ldev/denoise/app/voice/LiveVoiceController;"));
        assertTrue(dex.contains("Ldev/denoise/tflite/TfliteGainModel;"), "tflite-models is not in the dex");
        assertTrue(dex.contains("Lorg/tensorflow/lite/Interpreter;"), "the TFLite runtime is not in the dex");
        assertTrue(dex.contains("Ldev/denoise/core/"), "denoise-core is not in the dex");
    }

    /**
     * Library dex and app dex are written separately; a class in two dex files would load from
     * whichever comes first without any error, so check there is none.
     */
    @Test
    void noClassIsDefinedTwice() throws IOException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        int total = 0;
        for (Entry e : readEntries()) {
            if (e.name.matches("classes\\d*\\.dex")) {
                for (String c : classDescriptors(entryData(e.name))) {
                    assertTrue(seen.add(c), c + " defined again in " + e.name);
                    total++;
                }
            }
        }
        assertTrue(total > 1000, "only " + total + " classes");
    }

    /** Class descriptors of a dex file: header -> class_defs -> type_ids -> string_ids -> MUTF-8. */
    private static List<String> classDescriptors(byte[] dex) {
        ByteBuffer b = ByteBuffer.wrap(dex).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("dex\n", new String(dex, 0, 4, StandardCharsets.ISO_8859_1));
        int stringIdsOff = b.getInt(0x3C);
        int typeIdsOff = b.getInt(0x44);
        int classDefsSize = b.getInt(0x60);
        int classDefsOff = b.getInt(0x64);
        List<String> out = new ArrayList<>(classDefsSize);
        for (int i = 0; i < classDefsSize; i++) {
            int typeIdx = b.getInt(classDefsOff + 32 * i);
            int stringIdx = b.getInt(typeIdsOff + 4 * typeIdx);
            int p = b.getInt(stringIdsOff + 4 * stringIdx);
            while ((dex[p] & 0x80) != 0) {
                p++;
            }
            p++;
            int end = p;
            while (dex[end] != 0) {
                end++;
            }
            out.add(new String(dex, p, end - p, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** zipalign's rules: stored data 4-byte aligned, native libraries 16 KB (16 KB-page devices). */
    @Test
    void storedEntriesAreAligned() throws IOException {
        List<Entry> entries = readEntries();
        assertTrue(entries.stream().anyMatch(e -> e.name.equals("resources.arsc") && e.stored()));
        for (Entry e : entries) {
            if (e.name.endsWith(".so") || e.name.endsWith(".tflite") || e.name.equals("resources.arsc")) {
                assertTrue(e.stored(), e.name + " must be stored uncompressed");
            }
            if (e.stored()) {
                long align = e.name.endsWith(".so") ? 16384 : 4;
                assertEquals(0, e.dataOffset % align, e.name + " data at " + e.dataOffset + ", not " + align + "-aligned");
            }
        }
    }

    /** The voice and photo models and TFLite's JNI libraries ship stored, where the loaders look for them. */
    @Test
    void modelsAndNativeLibrariesArePackagedStored() throws IOException {
        List<Entry> entries = readEntries();
        for (String name : List.of(
                "assets/models/voice/voice_rnnoise_small_float32/model.tflite",
                "assets/models/voice/voice_rnnoise_small_float32/manifest.json",
                "assets/models/voice/voice_rnnoise_small_int8/model.tflite",
                "assets/models/voice/voice_rnnoise_small_int8/manifest.json",
                "assets/models/photo/photo_ffdnet_small_float32/model.tflite",
                "assets/models/photo/photo_ffdnet_small_float32/manifest.json",
                "assets/models/photo/photo_ffdnet_small_int8/model.tflite",
                "assets/models/photo/photo_ffdnet_small_int8/manifest.json",
                "lib/arm64-v8a/libtensorflowlite_gpu_jni.so",
                "lib/arm64-v8a/libtensorflowlite_jni.so",
                "lib/x86_64/libtensorflowlite_jni.so")) {
            Entry e = entries.stream().filter(x -> x.name.equals(name)).findFirst().orElse(null);
            assertTrue(e != null, name + " is not in the APK");
            if (!name.endsWith(".json")) {
                assertTrue(e.stored(), name + " must be stored");
                assertTrue(e.compressedSize > 10_000, name + " is only " + e.compressedSize + " bytes");
            }
        }
        String manifest = new String(entryData("assets/models/voice/voice_rnnoise_small_float32/manifest.json"),
                StandardCharsets.UTF_8);
        assertTrue(manifest.contains("sha256"), manifest);
    }

    @Test
    void declaresTheMicrophoneAndNoStoragePermissionOnNewPhones() {
        assertTrue(badging.contains("uses-permission: name='android.permission.RECORD_AUDIO'"), badging);
        assertTrue(badging.contains("uses-permission: name='android.permission.FOREGROUND_SERVICE_MICROPHONE'"), badging);
        assertTrue(badging.contains("name='android.permission.WRITE_EXTERNAL_STORAGE' maxSdkVersion='28'"), badging);
    }

    @Test
    void declaresTheCameraAsOptional() {
        assertTrue(badging.contains("uses-permission: name='android.permission.CAMERA'"), badging);
        assertFalse(badging.contains("uses-feature: name='android.hardware.camera'"),
                "the camera must not be a required feature: " + badging);
    }

    /**
     * ProfileInstaller's inputs: a 0.1.0 ART profile and 0.0.2 metadata, and the profile lists
     * classes and hot methods of the dex that holds the app (so the app's own rules matched, not
     * only the ones Compose ships).
     */
    @Test
    void baselineProfileIsCompiledForTheAppDex() throws Exception {
        byte[] prof = entryData("assets/dexopt/baseline.prof");
        assertEquals("pro\0" + "010\0", new String(prof, 0, 8, StandardCharsets.ISO_8859_1));
        byte[] profm = entryData("assets/dexopt/baseline.profm");
        assertEquals("prm\0" + "002\0", new String(profm, 0, 8, StandardCharsets.ISO_8859_1));
        int dexCount = prof[8] & 0xFF;
        ByteBuffer header = ByteBuffer.wrap(prof, 9, 8).order(ByteOrder.LITTLE_ENDIAN);
        int uncompressed = header.getInt();
        var inflater = new java.util.zip.Inflater();
        inflater.setInput(prof, 17, prof.length - 17);
        byte[] body = new byte[uncompressed];
        assertEquals(uncompressed, inflater.inflate(body));
        String appDex = null;
        for (Entry e : readEntries()) {
            if (e.name.matches("classes\\d*\\.dex")
                    && new String(entryData(e.name), StandardCharsets.ISO_8859_1).contains("Ldev/denoise/app/MainActivity;")) {
                appDex = e.name;
            }
        }
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        boolean found = false;
        for (int i = 0; i < dexCount; i++) {
            int keySize = Short.toUnsignedInt(b.getShort());
            int classes = Short.toUnsignedInt(b.getShort());
            int hotRegion = b.getInt();
            b.getInt(); // checksum
            b.getInt(); // method ids
            byte[] key = new byte[keySize];
            b.get(key);
            if (new String(key, StandardCharsets.UTF_8).equals(appDex)) {
                found = true;
                assertTrue(classes > 20, appDex + ": only " + classes + " classes in the profile");
                assertTrue(hotRegion > 0, appDex + ": no hot methods in the profile");
            }
        }
        assertTrue(found, "the profile does not cover " + appDex);
    }

    private record Entry(String name, int method, long dataOffset, long compressedSize) {
        boolean stored() {
            return method == 0;
        }
    }

    private static byte[] entryData(String name) throws IOException {
        try (var zf = new java.util.zip.ZipFile(apk)) {
            var e = zf.getEntry(name);
            if (e == null) {
                throw new IOException(name + " not in " + apk);
            }
            return zf.getInputStream(e).readAllBytes();
        }
    }

    /** Reads the central directory and each local header, to know where each entry's data lies. */
    private static List<Entry> readEntries() throws IOException {
        byte[] all = Files.readAllBytes(apk.toPath());
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = all.length - 22;
        while (eocd >= 0 && b.getInt(eocd) != 0x06054b50) {
            eocd--;
        }
        assertTrue(eocd >= 0, "no end of central directory");
        int count = Short.toUnsignedInt(b.getShort(eocd + 10));
        int cd = b.getInt(eocd + 16);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            assertEquals(0x02014b50, b.getInt(cd), "central directory entry " + i);
            int method = Short.toUnsignedInt(b.getShort(cd + 10));
            long csize = Integer.toUnsignedLong(b.getInt(cd + 20));
            int nameLen = Short.toUnsignedInt(b.getShort(cd + 28));
            int extraLen = Short.toUnsignedInt(b.getShort(cd + 30));
            int commentLen = Short.toUnsignedInt(b.getShort(cd + 32));
            int local = b.getInt(cd + 42);
            String name = new String(all, cd + 46, nameLen, StandardCharsets.UTF_8);
            int localNameLen = Short.toUnsignedInt(b.getShort(local + 26));
            int localExtraLen = Short.toUnsignedInt(b.getShort(local + 28));
            entries.add(new Entry(name, method, local + 30L + localNameLen + localExtraLen, csize));
            cd += 46 + nameLen + extraLen + commentLen;
        }
        return entries;
    }
}
