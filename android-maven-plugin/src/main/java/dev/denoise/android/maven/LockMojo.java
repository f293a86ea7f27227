package dev.denoise.android.maven;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.codehaus.plexus.util.xml.pull.XmlPullParserException;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.VersionRangeRequest;
import org.eclipse.aether.resolution.VersionRangeResolutionException;
import org.eclipse.aether.version.Version;

/**
 * Writes the lock: resolves the Android libraries the way Gradle would for an Android app, and
 * writes the flat result. Run it by hand when versions change ({@code tools/android-lock.sh}).
 *
 * <p>Why not Maven's resolver: androidx POMs carry exact ranges ({@code [1.6.0]}) that the
 * partial mirror cannot satisfy, Kotlin-multiplatform root artifacts that hold no classes, and
 * Maven's nearest-wins picks versions older than the libraries were built against. This goal
 * reads the POMs itself and applies highest-version-wins over dependencies and POM constraints
 * ({@code dependencyManagement}, which is how Gradle publishes them), until nothing changes.
 * Then it drops KMP roots (an artifact that depends on its own {@code -android} or {@code -jvm}
 * variant), POM-only artifacts (e.g. {@code kotlin-stdlib-common} 2.x) and {@code X-jvm} where
 * {@code X-android} is present.
 */
@Mojo(name = "lock", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class LockMojo extends AbstractAndroidMojo {

    /** Direct dependencies, {@code group:artifact:version}. */
    @Parameter(required = true)
    private List<String> roots;

    /** Bound in the app's build but skipped unless {@code -Dandroid.lock.skip=false}. */
    @Parameter(property = "android.lock.skip", defaultValue = "false")
    private boolean skip;

    private final Map<String, Model> poms = new HashMap<>();
    private final Set<String> substitutions = new TreeSet<>();

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            return;
        }
        Map<String, String> selected = new HashMap<>();
        List<String> rootGas = new ArrayList<>();
        for (String r : roots) {
            String[] p = r.strip().split(":");
            if (p.length != 3) {
                throw new MojoExecutionException("root must be group:artifact:version, got " + r);
            }
            rootGas.add(p[0] + ":" + p[1]);
            selected.put(p[0] + ":" + p[1], p[2]);
        }
        Set<String> reached;
        int round = 0;
        boolean changed;
        do {
            changed = false;
            round++;
            reached = new LinkedHashSet<>();
            Map<String, String> constraints = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>(rootGas);
            while (!queue.isEmpty()) {
                String ga = queue.poll();
                if (!reached.add(ga)) {
                    continue;
                }
                Model pom = pomOrNext(ga, selected);
                for (Dependency d : pom.getDependencies()) {
                    if (!isRuntime(d) || d.getVersion() == null) {
                        continue;
                    }
                    String dga = d.getGroupId() + ":" + d.getArtifactId();
                    changed |= raise(selected, dga, lowerBound(d.getVersion()));
                    queue.add(dga);
                }
                if (pom.getDependencyManagement() != null) {
                    for (Dependency d : pom.getDependencyManagement().getDependencies()) {
                        if (d.getVersion() != null && !"import".equals(d.getScope())) {
                            raise(constraints, d.getGroupId() + ":" + d.getArtifactId(), lowerBound(d.getVersion()));
                        }
                    }
                }
            }
            for (String ga : reached) {
                String c = constraints.get(ga);
                if (c != null) {
                    changed |= raise(selected, ga, c);
                }
            }
        } while (changed && round < 50);
        if (changed) {
            throw new MojoExecutionException("versions did not settle after " + round + " rounds");
        }

        Set<String> lines = new TreeSet<>();
        for (String ga : reached) {
            Model pom = pom(ga, selected.get(ga));
            if (isKmpRoot(ga, pom) || "pom".equals(pom.getPackaging())) {
                continue;
            }
            if (ga.endsWith("-jvm") && reached.contains(ga.substring(0, ga.length() - 4) + "-android")) {
                continue;
            }
            String type = "aar".equals(pom.getPackaging()) ? "aar" : "jar";
            String[] p = ga.split(":");
            lines.add(p[0] + ":" + p[1] + ":" + type + ":" + selected.get(ga));
        }
        StringBuilder out = new StringBuilder();
        out.append("# Generated by android-maven-plugin:lock (tools/android-lock.sh); do not edit by hand.\n");
        out.append("# Roots: ").append(String.join(" ", roots.stream().map(String::strip).toList())).append('\n');
        out.append("# group:artifact:type:version, resolved highest-version-wins; the whole set, no transitives.\n");
        for (String sub : substitutions) {
            out.append("# Not on the mirror, next available used: ").append(sub).append('\n');
        }
        for (String l : lines) {
            out.append(l).append('\n');
        }
        try {
            Files.writeString(lockFile.toPath(), out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + lockFile, e);
        }
        getLog().info("Wrote " + lines.size() + " libraries to " + lockFile + " after " + round + " rounds");
    }

    private static boolean isRuntime(Dependency d) {
        String scope = d.getScope() == null ? "compile" : d.getScope();
        return !d.isOptional() && (scope.equals("compile") || scope.equals("runtime"));
    }

    private static boolean isKmpRoot(String ga, Model pom) {
        for (Dependency d : pom.getDependencies()) {
            String dga = d.getGroupId() + ":" + d.getArtifactId();
            if (dga.equals(ga + "-android") || dga.equals(ga + "-jvm")) {
                return true;
            }
        }
        return false;
    }

    /** Raises {@code map[ga]} to {@code version} if that is higher; true if it changed. */
    private static boolean raise(Map<String, String> map, String ga, String version) {
        String old = map.get(ga);
        if (old == null || new ComparableVersion(version).compareTo(new ComparableVersion(old)) > 0) {
            map.put(ga, version);
            return true;
        }
        return false;
    }

    /** {@code [1.6.0]} gives 1.6.0, {@code [1.0,2.0)} gives 1.0, a plain version itself. */
    static String lowerBound(String spec) {
        String s = spec.strip();
        if (s.startsWith("[") || s.startsWith("(")) {
            s = s.substring(1);
            int comma = s.indexOf(',');
            s = comma >= 0 ? s.substring(0, comma) : s.substring(0, s.length() - 1);
        }
        return s.strip();
    }

    /**
     * The POM of {@code ga} at its selected version. The mirror here is partial: when that
     * version is missing, the lowest available higher version is selected instead (and noted
     * in the lock), as a project would pin it by hand.
     */
    private Model pomOrNext(String ga, Map<String, String> selected) throws MojoExecutionException {
        String version = selected.get(ga);
        try {
            return pom(ga, version);
        } catch (MojoExecutionException missing) {
            String[] p = ga.split(":");
            try {
                var range = new VersionRangeRequest(new DefaultArtifact(p[0] + ":" + p[1] + ":pom:[" + version + ",)"),
                        remoteRepos, null);
                for (Version v : repoSystem.resolveVersionRange(repoSession, range).getVersions()) {
                    if (v.toString().equals(version)) {
                        continue;
                    }
                    try {
                        Model m = pom(ga, v.toString());
                        getLog().warn(ga + ":" + version + " is not available; using " + v);
                        substitutions.add(ga + ":" + version + " -> " + v);
                        selected.put(ga, v.toString());
                        return m;
                    } catch (MojoExecutionException alsoMissing) {
                        getLog().debug(ga + ":" + v + " not available either");
                    }
                }
            } catch (VersionRangeResolutionException e) {
                missing.addSuppressed(e);
            }
            throw missing;
        }
    }

    private Model pom(String ga, String version) throws MojoExecutionException {
        String key = ga + ":" + version;
        Model cached = poms.get(key);
        if (cached != null) {
            return cached;
        }
        String[] p = ga.split(":");
        File file = resolve(p[0] + ":" + p[1] + ":pom:" + version);
        try (InputStream in = Files.newInputStream(file.toPath())) {
            Model m = new MavenXpp3Reader().read(in, false);
            poms.put(key, m);
            return m;
        } catch (IOException | XmlPullParserException e) {
            throw new MojoExecutionException("cannot read " + file, e);
        }
    }
}
