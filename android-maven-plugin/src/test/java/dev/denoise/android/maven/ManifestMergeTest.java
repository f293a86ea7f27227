package dev.denoise.android.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestMergeTest {
    private static final String NS = "xmlns:android=\"http://schemas.android.com/apk/res/android\" "
            + "xmlns:tools=\"http://schemas.android.com/tools\"";

    @TempDir
    Path dir;

    private Path write(String name, String xml) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, xml);
        return p;
    }

    private static final String APP = "<manifest " + NS + "><application android:label=\"x\">"
            + "<activity android:name=\".Main\"/></application></manifest>";

    private static String library(String pkg, int minSdk, String app) {
        return "<manifest " + NS + " package=\"" + pkg + "\"><uses-sdk android:minSdkVersion=\"" + minSdk + "\"/>"
                + "<uses-permission android:name=\"${applicationId}.PERM\"/>"
                + "<application>" + app + "</application></manifest>";
    }

    private static String provider(String initializer) {
        return "<provider android:name=\"androidx.startup.InitializationProvider\" "
                + "android:authorities=\"${applicationId}.androidx-startup\" tools:node=\"merge\">"
                + "<meta-data android:name=\"" + initializer + "\" android:value=\"androidx.startup\"/></provider>";
    }

    @Test
    void sharedProviderGetsEveryLibrarysMetaDataOnce() throws IOException {
        Path out = dir.resolve("merged.xml");
        List<String> packages = ManifestMerge.merge(write("app.xml", APP),
                List.of(write("a.xml", library("lib.a", 21, provider("A.Init"))),
                        write("b.xml", library("lib.b", 21, provider("B.Init")))),
                "dev.x", 26, out);
        String merged = Files.readString(out);
        assertEquals(List.of("lib.a", "lib.b"), packages);
        assertEquals(1, count(merged, "InitializationProvider"));
        assertTrue(merged.contains("A.Init") && merged.contains("B.Init"), merged);
        assertEquals(1, count(merged, "dev.x.PERM"), merged);
        assertTrue(merged.contains("dev.x.androidx-startup"), merged);
        assertTrue(merged.contains("package=\"dev.x\""), merged);
        assertFalse(merged.contains("tools:"), merged);
        assertFalse(merged.contains("${applicationId}"), merged);
    }

    @Test
    void libraryNeedingANewerPlatformFails() throws IOException {
        Path lib = write("c.xml", library("lib.c", 28, ""));
        IOException e = assertThrows(IOException.class,
                () -> ManifestMerge.merge(write("app.xml", APP), List.of(lib), "dev.x", 26, dir.resolve("m.xml")));
        assertTrue(e.getMessage().contains("minSdkVersion 28 > app minSdk 26"), e.getMessage());
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
