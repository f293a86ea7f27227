package dev.denoise.android.maven;

import java.nio.file.Path;

/** Where the goals put their outputs, all under {@code ${project.build.directory}/android}. */
final class BuildLayout {
    final Path root;

    BuildLayout(Path buildDirectory) {
        this.root = buildDirectory.resolve("android");
    }

    /** Unpacked AAR: classes.jar, libs/, res/, assets/, jni/, AndroidManifest.xml. */
    Path libraryDir(LockFile.Entry e) {
        return root.resolve("libs").resolve(e.artifactId() + "-" + e.version());
    }

    Path aapt2() {
        return root.resolve("tools").resolve("aapt2");
    }

    Path mergedManifest() {
        return root.resolve("AndroidManifest.xml");
    }

    Path compiledResources() {
        return root.resolve("res-flat");
    }

    /** aapt2 link output: binary manifest, resources.arsc, res/. */
    Path linkedResources() {
        return root.resolve("resources.ap_");
    }

    Path dexDir() {
        return root.resolve("dex");
    }

    Path unsignedApk() {
        return root.resolve("app-unsigned.apk");
    }
}
