package dev.denoise.android.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Merges the manifests ({@link ManifestMerge}), compiles resources with {@code aapt2 compile}
 * (library resources once per pinned version, the app's every build) and links them with
 * {@code aapt2 link} against the platform jar. Generates {@code R.java} for the app and, through
 * {@code --extra-packages}, for every library package, and adds it as a compile source root.
 */
@Mojo(name = "resources", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class ResourcesMojo extends AbstractAndroidMojo {

    @Parameter(property = "android.applicationId", required = true)
    private String applicationId;

    @Parameter(property = "android.targetSdk", defaultValue = "35")
    private int targetSdk;

    @Parameter(property = "android.versionCode", defaultValue = "1")
    private int versionCode;

    @Parameter(property = "android.versionName", defaultValue = "${project.version}")
    private String versionName;

    @Parameter(defaultValue = "${project.basedir}/src/main/AndroidManifest.xml")
    private File manifest;

    @Parameter(defaultValue = "${project.basedir}/src/main/res")
    private File resDir;

    /** The jar that bundles aapt2. */
    @Parameter(property = "android.apktool", defaultValue = "org.apktool:apktool-lib:jar:${apktool.version}")
    private String apktool;

    @Parameter(defaultValue = "${project.build.directory}/generated-sources/android-r")
    private File rSourceDir;

    @Override
    public void execute() throws MojoExecutionException {
        try {
            long t0 = System.nanoTime();
            BuildLayout layout = layout();
            Aapt2 aapt2 = Aapt2.extract(resolve(apktool), layout.aapt2());
            List<Library> aars = new ArrayList<>();
            for (Library lib : libraries()) {
                if (lib.entry().isAar()) {
                    aars.add(lib);
                }
            }
            Files.createDirectories(layout.root);
            List<Path> libManifests = new ArrayList<>();
            for (Library lib : aars) {
                libManifests.add(lib.manifest());
            }
            List<String> packages = ManifestMerge.merge(manifest.toPath(), libManifests, applicationId, minSdk,
                    layout.mergedManifest());

            Path flat = layout.compiledResources();
            Files.createDirectories(flat);
            List<String> link = new ArrayList<>(List.of("link",
                    "-o", layout.linkedResources().toString(),
                    "-I", platformJar().toString(),
                    "--manifest", layout.mergedManifest().toString(),
                    "--min-sdk-version", Integer.toString(minSdk),
                    "--target-sdk-version", Integer.toString(targetSdk),
                    "--version-code", Integer.toString(versionCode),
                    "--version-name", versionName,
                    "--auto-add-overlay",
                    "--java", rSourceDir.toString()));
            List<String> extra = new ArrayList<>();
            for (String pkg : packages) {
                if (!pkg.isEmpty() && !pkg.equals(applicationId) && !extra.contains(pkg)) {
                    extra.add(pkg);
                }
            }
            if (!extra.isEmpty()) {
                link.add("--extra-packages");
                link.add(String.join(":", extra));
            }
            for (Library lib : aars) {
                if (!lib.hasResources()) {
                    continue;
                }
                Path zip = flat.resolve(lib.unpacked().getFileName() + ".zip");
                if (!Files.isRegularFile(zip)) {
                    aapt2.run(List.of("compile", "--dir", lib.resDir().toString(), "-o", zip.toString()));
                }
                link.add("-R");
                link.add(zip.toString());
            }
            if (resDir.isDirectory()) {
                Path appZip = flat.resolve("app.zip");
                Files.deleteIfExists(appZip);
                aapt2.run(List.of("compile", "--dir", resDir.toString(), "-o", appZip.toString()));
                link.add("-R");
                link.add(appZip.toString());
            }
            deleteTree(rSourceDir.toPath());
            Files.createDirectories(rSourceDir.toPath());
            aapt2.run(link);
            project.addCompileSourceRoot(rSourceDir.getPath());
            getLog().info(String.format("Resources linked for %d library packages in %.1f s",
                    extra.size(), (System.nanoTime() - t0) / 1e9));
        } catch (IOException e) {
            throw new MojoExecutionException("resources: " + e.getMessage(), e);
        }
    }
}
