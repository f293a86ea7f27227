package dev.denoise.android.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {
    @TempDir
    Path dir;

    @Test
    void readsEntriesAndSkipsComments() throws IOException {
        Path lock = dir.resolve("l.lock");
        Files.writeString(lock, "# header\n\nandroidx.core:core:aar:1.13.1\norg.jetbrains:annotations:jar:23.0.0\n");
        List<LockFile.Entry> e = LockFile.read(lock);
        assertEquals(2, e.size());
        assertEquals("androidx.core:core:aar:1.13.1", e.get(0).coords());
        assertTrue(e.get(0).isAar());
        assertEquals("org.jetbrains:annotations", e.get(1).ga());
    }

    @Test
    void rejectsAnUnknownTypeWithTheLine() throws IOException {
        Path lock = dir.resolve("bad.lock");
        Files.writeString(lock, "a:b:pom:1\n");
        IOException ex = assertThrows(IOException.class, () -> LockFile.read(lock));
        assertTrue(ex.getMessage().contains("bad.lock:1"), ex.getMessage());
    }
}
