package dev.denoise.android.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One locked library: its Maven file and, for an AAR, the folder it was unpacked into. */
record Library(LockFile.Entry entry, File file, Path unpacked) {

    /** The jars that carry this library's classes. */
    List<Path> classJars() throws IOException {
        if (!entry.isAar()) {
            return List.of(file.toPath());
        }
        List<Path> jars = new ArrayList<>();
        Path classes = unpacked.resolve("classes.jar");
        if (Files.isRegularFile(classes)) {
            jars.add(classes);
        }
        Path libs = unpacked.resolve("libs");
        if (Files.isDirectory(libs)) {
            try (Stream<Path> s = Files.list(libs)) {
                s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
        }
        return jars;
    }

    Path manifest() {
        return unpacked.resolve("AndroidManifest.xml");
    }

    Path resDir() {
        return unpacked.resolve("res");
    }

    boolean hasResources() throws IOException {
        if (!entry.isAar() || !Files.isDirectory(resDir())) {
            return false;
        }
        try (Stream<Path> s = Files.walk(resDir())) {
            return s.anyMatch(Files::isRegularFile);
        }
    }
}
