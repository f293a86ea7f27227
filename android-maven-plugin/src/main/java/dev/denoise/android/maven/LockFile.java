package dev.denoise.android.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lock: one library per line, {@code groupId:artifactId:type:version}, type {@code aar} or
 * {@code jar}; {@code #} starts a comment. Written by {@link LockMojo}, read by the other goals.
 * Nothing in it is resolved transitively: the list is the whole set.
 */
final class LockFile {
    record Entry(String groupId, String artifactId, String type, String version) {
        String coords() {
            return groupId + ":" + artifactId + ":" + type + ":" + version;
        }

        String ga() {
            return groupId + ":" + artifactId;
        }

        boolean isAar() {
            return "aar".equals(type);
        }
    }

    private LockFile() {
    }

    static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] p = s.split(":");
            if (p.length != 4 || !(p[2].equals("aar") || p[2].equals("jar"))) {
                throw new IOException(file + ":" + lineNo + ": expected group:artifact:aar|jar:version, got '" + s + "'");
            }
            entries.add(new Entry(p[0], p[1], p[2], p[3]));
        }
        return entries;
    }
}
