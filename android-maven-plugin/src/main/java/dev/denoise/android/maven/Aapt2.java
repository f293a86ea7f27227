package dev.denoise.android.maven;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * aapt2, taken from the static Linux build that {@code org.apktool:apktool-lib} bundles
 * ({@code prebuilt/linux/aapt2_64}); Maven Central carries no aapt2 artifact of its own.
 */
final class Aapt2 {
    static final String ENTRY = "prebuilt/linux/aapt2_64";

    private final Path exe;

    private Aapt2(Path exe) {
        this.exe = exe;
    }

    /** Extracts the binary from the apktool-lib jar into {@code target} unless already there. */
    static Aapt2 extract(File apktoolJar, Path target) throws IOException {
        String os = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        if (!os.startsWith("Linux/") || !(os.endsWith("amd64") || os.endsWith("x86_64"))) {
            throw new IOException("aapt2 from apktool-lib is a Linux x86-64 binary; this is " + os);
        }
        if (!Files.isExecutable(target)) {
            Files.createDirectories(target.getParent());
            try (ZipFile zf = new ZipFile(apktoolJar)) {
                ZipEntry e = zf.getEntry(ENTRY);
                if (e == null) {
                    throw new IOException(apktoolJar + " has no " + ENTRY);
                }
                Path tmp = target.resolveSibling("aapt2.tmp");
                try (InputStream in = zf.getInputStream(e)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                tmp.toFile().setExecutable(true);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return new Aapt2(target);
    }

    Path executable() {
        return exe;
    }

    /** Runs {@code aapt2 args...}; fails with aapt2's own output when it exits non-zero. */
    String run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IOException("aapt2 " + args.get(0) + " exited " + rc + ":\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }
}
