package dev.denoise.android.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.ArtifactHandler;
import org.apache.maven.artifact.handler.manager.ArtifactHandlerManager;
import org.apache.maven.artifact.versioning.VersionRange;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Resolves the locked libraries (exact coordinates, nothing transitive), unpacks each AAR into
 * {@code target/android/libs/<artifact>-<version>/} (kept while that folder is there) and puts
 * their classes on the compile classpath, which Maven cannot do itself for jars inside an AAR.
 * Also resolves the Compose compiler plugin for kotlinc.
 */
@Mojo(name = "libraries", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.TEST)
public class LibrariesMojo extends AbstractAndroidMojo {

    @Component
    private ArtifactHandlerManager artifactHandlers;

    /**
     * The Compose compiler plugin for kotlinc. Its local path is published as the project
     * property {@code android.composeCompilerPlugin} for kotlin-maven-plugin's {@code -Xplugin=}.
     */
    @Parameter(property = "android.composeCompiler",
            defaultValue = "org.jetbrains.kotlin:kotlin-compose-compiler-plugin:jar:${kotlin.version}")
    private String composeCompiler;

    @Override
    public void execute() throws MojoExecutionException {
        try {
            long t0 = System.nanoTime();
            project.getProperties().setProperty("android.composeCompilerPlugin", resolve(composeCompiler).getPath());
            List<Library> libs = libraries();
            int unpacked = 0;
            for (Library lib : libs) {
                if (lib.entry().isAar() && !Files.isRegularFile(lib.unpacked().resolve(".unpacked"))) {
                    unpack(lib);
                    unpacked++;
                }
            }
            addToClasspath(libs);
            getLog().info(String.format("%d libraries (%d unpacked now) in %.1f s",
                    libs.size(), unpacked, (System.nanoTime() - t0) / 1e9));
        } catch (IOException e) {
            throw new MojoExecutionException("libraries: " + e.getMessage(), e);
        }
    }

    private static void unpack(Library lib) throws IOException {
        Path dir = lib.unpacked();
        deleteTree(dir);
        Files.createDirectories(dir);
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(lib.file().toPath()))) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                Path out = dir.resolve(e.getName()).normalize();
                if (!out.startsWith(dir)) {
                    throw new IOException(lib.file() + ": entry escapes its folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zin, out);
                }
            }
        }
        Files.writeString(dir.resolve(".unpacked"), lib.entry().coords());
    }

    /**
     * Puts every library's class jars on the project's compile and test classpaths, as
     * provided-scope artifacts (the {@code apk} goal packages them; Maven must not). Maven
     * resolves a project's dependencies once, before its first goal, and later goals filter that
     * resolved set; so the jars are added to it here, after that resolution.
     */
    private void addToClasspath(List<Library> libs) throws IOException {
        Set<Artifact> resolved = new LinkedHashSet<>(project.getArtifacts());
        ArtifactHandler jarHandler = artifactHandlers.getArtifactHandler("jar");
        for (Library lib : libs) {
            int i = 0;
            for (Path jar : lib.classJars()) {
                LockFile.Entry e = lib.entry();
                Artifact a = new DefaultArtifact(e.groupId(), e.artifactId(), VersionRange.createFromVersion(e.version()),
                        Artifact.SCOPE_PROVIDED, "jar", i == 0 ? null : "lib" + i, jarHandler);
                a.setFile(jar.toFile());
                a.setResolved(true);
                resolved.add(a);
                i++;
            }
        }
        project.setResolvedArtifacts(resolved);
    }
}
