package dev.denoise.android.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Parameters and helpers shared by the goals. Every goal works under {@code target/android/}
 * (see {@link BuildLayout}); goals hand each other files there, never state in memory.
 */
abstract class AbstractAndroidMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
    protected RepositorySystemSession repoSession;

    @Parameter(defaultValue = "${project.remoteProjectRepositories}", readonly = true, required = true)
    protected List<RemoteRepository> remoteRepos;

    @Component
    protected RepositorySystem repoSystem;

    /** The flat, pinned list of Android libraries written by the {@code lock} goal. */
    @Parameter(property = "android.lockFile", defaultValue = "${project.basedir}/android-libraries.lock")
    protected File lockFile;

    /**
     * Framework classes and resources: a jar with {@code resources.arsc}, used as aapt2's
     * {@code -I}, D8's library and (as a provided dependency) the compile classpath.
     */
    @Parameter(property = "android.platform", defaultValue = "org.robolectric:android-all:jar:${android.platform.version}")
    protected String platform;

    @Parameter(property = "android.minSdk", defaultValue = "26")
    protected int minSdk;

    protected BuildLayout layout() {
        return new BuildLayout(new File(project.getBuild().getDirectory()).toPath());
    }

    /** Resolves one artifact, {@code group:artifact:extension:version}, without its dependencies. */
    protected File resolve(String coords) throws MojoExecutionException {
        try {
            ArtifactRequest request = new ArtifactRequest(new DefaultArtifact(coords), remoteRepos, null);
            return repoSystem.resolveArtifact(repoSession, request).getArtifact().getFile();
        } catch (ArtifactResolutionException | IllegalArgumentException e) {
            throw new MojoExecutionException("cannot resolve " + coords + ": " + e.getMessage(), e);
        }
    }

    protected File platformJar() throws MojoExecutionException {
        return resolve(platform);
    }

    /** The locked libraries, resolved and (for AARs) unpacked by the {@code libraries} goal. */
    protected List<Library> libraries() throws MojoExecutionException {
        return libraries(lockFile);
    }

    /** The libraries of one lock file, resolved. */
    protected List<Library> libraries(File lockFile) throws MojoExecutionException {
        List<LockFile.Entry> entries;
        try {
            entries = LockFile.read(lockFile.toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read the lock " + lockFile + ": " + e.getMessage(), e);
        }
        List<Library> libs = new ArrayList<>();
        for (LockFile.Entry e : entries) {
            libs.add(new Library(e, resolve(e.coords()), layout().libraryDir(e)));
        }
        return libs;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
