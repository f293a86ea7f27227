package dev.denoise.android.maven;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.android.apksig.ApkSigner;
import com.android.apksig.KeyConfig;
import com.android.tools.r8.CompilationFailedException;
import com.android.tools.r8.D8;
import com.android.tools.r8.D8Command;
import com.android.tools.r8.OutputMode;
import com.android.tools.r8.Version;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Dexes, packages and signs the APK.
 *
 * <ol>
 *   <li>Each library jar is dexed once by D8 (intermediate mode) into a cache keyed by the
 *       jar's SHA-256, the D8 version and minSdk; a final D8 run merges them, cached by the set
 *       of those keys. Both survive {@code mvn clean}.</li>
 *   <li>The app's classes (with the R classes) and the reactor modules it depends on
 *       (snapshots) are dexed on their own each build and packaged after the libraries' dex
 *       files, so a rebuild dexes only those. Released Maven dependencies are cached like the
 *       locked libraries.</li>
 *   <li>The APK holds aapt2's linked manifest, {@code resources.arsc} (stored) and {@code res/},
 *       the dex files, {@code META-INF/services} from the libraries, AAR {@code jni/} libraries as
 *       {@code lib/<abi>/} and assets; {@code .so} and {@code .tflite} are stored uncompressed.</li>
 *   <li>apksig signs it (v2 + v3; minSdk 24+ needs no v1) and aligns stored entries on the way:
 *       4 bytes, 16 KB for {@code .so}, as zipalign would.</li>
 * </ol>
 *
 * The key is the committed debug keystore unless {@code android.keystore} and its companion
 * properties name another (a release key kept outside the repository).
 */
@Mojo(name = "apk", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class ApkMojo extends AbstractAndroidMojo {

    private static final long ENTRY_TIME = new GregorianCalendar(1981, 0, 1).getTimeInMillis();
    /** "8.7.18" of "8.7.18 (build ... from go/r8bot (...))": part of the dex cache key. */
    private static final String D8_VERSION = Version.getVersionString().split(" ")[0];
    private static final Set<String> STORED_EXTENSIONS = Set.of(".so", ".tflite", ".arsc");

    @Component
    private MavenProjectHelper projectHelper;

    @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true)
    private File classesDir;

    @Parameter(defaultValue = "${project.basedir}/src/main/assets")
    private File assetsDir;

    /**
     * Human-readable baseline profile compiled into {@code assets/dexopt/} (see
     * {@link BaselineProfile}); skipped when the file does not exist.
     */
    @Parameter(property = "android.baselineProfile", defaultValue = "${project.basedir}/src/main/baseline-prof.txt")
    private File baselineProfile;

    @Parameter(property = "android.dexCache", defaultValue = "${user.home}/.cache/denoise-android/dex")
    private File dexCache;

    @Parameter(property = "android.keystore", defaultValue = "${project.basedir}/debug.keystore")
    private File keystore;

    @Parameter(property = "android.keystorePassword", defaultValue = "android")
    private String keystorePassword;

    @Parameter(property = "android.keyAlias", defaultValue = "androiddebugkey")
    private String keyAlias;

    @Parameter(property = "android.keyPassword", defaultValue = "android")
    private String keyPassword;

    @Parameter(defaultValue = "${project.build.directory}/${project.build.finalName}.apk")
    private File apk;

    @Override
    public void execute() throws MojoExecutionException {
        try {
            BuildLayout layout = layout();
            List<Library> libs = libraries();
            long t0 = System.nanoTime();
            List<Path> libraryJars = new ArrayList<>();
            for (Library lib : libs) {
                libraryJars.addAll(lib.classJars());
            }
            // The project's own Maven dependencies: released jars are dexed and cached like the
            // locked libraries; snapshots (the reactor's modules) change with the app, so they
            // are dexed with it.
            List<Path> projectSnapshots = new ArrayList<>();
            for (org.apache.maven.artifact.Artifact a : project.getArtifacts()) {
                String scope = a.getScope();
                if (("compile".equals(scope) || "runtime".equals(scope)) && "jar".equals(a.getType())) {
                    (a.isSnapshot() ? projectSnapshots : libraryJars).add(a.getFile().toPath());
                }
            }
            List<Path> libraryDex = new ArrayList<>();
            StringBuilder setKey = new StringBuilder();
            int dexed = 0;
            for (Path jar : libraryJars) {
                String key = sha256(Files.readAllBytes(jar)) + "-d8-" + D8_VERSION + "-api" + minSdk;
                Path cached = dexCache.toPath().resolve(key + ".zip");
                if (!Files.isRegularFile(cached)) {
                    dexLibrary(jar, cached);
                    dexed++;
                }
                libraryDex.add(cached);
                setKey.append(key).append('\n');
            }
            Path mergedLibraries = dexCache.toPath().resolve("merged-" + sha256(setKey.toString().getBytes(UTF_8)));
            boolean merged = false;
            if (!Files.isDirectory(mergedLibraries)) {
                Path tmp = Files.createTempDirectory(dexCache.toPath(), "merging");
                List<Path> globals = new ArrayList<>();
                for (Path dex : libraryDex) {
                    Path g = globalsOf(dex);
                    if (Files.isRegularFile(g)) {
                        globals.add(g);
                    }
                }
                D8.run(D8Command.builder()
                        .addProgramFiles(libraryDex)
                        .addGlobalSyntheticsFiles(globals)
                        .addLibraryFiles(platformJar().toPath())
                        .setMinApiLevel(minSdk)
                        .setOutput(tmp, OutputMode.DexIndexed)
                        .build());
                Files.move(tmp, mergedLibraries, StandardCopyOption.ATOMIC_MOVE);
                merged = true;
            }
            long t1 = System.nanoTime();
            Path appDex = layout.dexDir();
            deleteTree(appDex);
            Files.createDirectories(appDex);
            List<Path> appClasses = new ArrayList<>();
            List<Path> appInputs = new ArrayList<>(projectSnapshots);
            appInputs.add(classesDir.toPath());
            for (Path input : appInputs) {
                if (Files.isDirectory(input)) {
                    try (Stream<Path> s = Files.walk(input)) {
                        s.filter(p -> p.toString().endsWith(".class")).forEach(appClasses::add);
                    }
                } else {
                    appClasses.add(input);
                }
            }
            d8(appClasses, libraryJars, appDex);
            long t2 = System.nanoTime();
            List<Path> resourceJars = new ArrayList<>(libraryJars);
            resourceJars.addAll(projectSnapshots);
            writeUnsigned(layout, libs, resourceJars, List.of(mergedLibraries, appDex));
            sign(layout.unsignedApk(), apk.toPath());
            long t3 = System.nanoTime();
            getLog().info(String.format(Locale.ROOT,
                    "Dex: %d library jars (%d dexed now%s) %.1f s, app %.1f s; package+sign %.1f s",
                    libraryJars.size(), dexed, merged ? ", merged now" : ", merge cached",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
            getLog().info("APK: " + apk + " (" + Files.size(apk.toPath()) + " bytes)");
            projectHelper.attachArtifact(project, "apk", apk);
        } catch (IOException | CompilationFailedException | GeneralSecurityException e) {
            throw new MojoExecutionException("apk: " + e.getMessage(), e);
        }
    }

    /** Final-mode D8: {@code program} (class files or intermediate dex) into {@code outDir}. */
    private void d8(List<Path> program, List<Path> classpath, Path outDir)
            throws CompilationFailedException, MojoExecutionException {
        D8.run(D8Command.builder()
                .addProgramFiles(program)
                .addLibraryFiles(platformJar().toPath())
                .addClasspathFiles(classpath)
                .setMinApiLevel(minSdk)
                .setOutput(outDir, OutputMode.DexIndexed)
                .build());
    }

    /**
     * Intermediate-mode D8 of one library jar, without a classpath: at minSdk 24+ desugaring needs
     * no other classes (AGP does the same), and each run stays independent of the others.
     */
    private void dexLibrary(Path jar, Path cached)
            throws IOException, CompilationFailedException, MojoExecutionException {
        Files.createDirectories(cached.getParent());
        Path tmp = Files.createTempFile(cached.getParent(), "dex", ".zip");
        Path tmpGlobals = tmp.resolveSibling(tmp.getFileName() + ".globals");
        Files.delete(tmp);
        if (minSdk < 24) {
            throw new MojoExecutionException("library dexing without a classpath needs minSdk >= 24, not " + minSdk);
        }
        D8.run(D8Command.builder()
                .addProgramFiles(jar)
                .addLibraryFiles(platformJar().toPath())
                .setMinApiLevel(minSdk)
                .setIntermediate(true)
                .setGlobalSyntheticsOutput(tmpGlobals)
                .setOutput(tmp, OutputMode.DexIndexed)
                .build());
        if (Files.isRegularFile(tmpGlobals)) {
            // D8 writes one entry per dex output; each entry is what addGlobalSyntheticsFiles reads.
            try (ZipFile zf = new ZipFile(tmpGlobals.toFile())) {
                if (zf.size() > 1) {
                    throw new IOException(jar + ": global synthetics for " + zf.size() + " dex files; expected one");
                }
                var it = zf.entries();
                if (it.hasMoreElements()) {
                    try (InputStream in = zf.getInputStream(it.nextElement())) {
                        Files.copy(in, globalsOf(cached), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.delete(tmpGlobals);
        }
        Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Classes D8 creates once per app (e.g. {@code RecordTag} for desugared records) are kept
     * out of intermediate dex and beside it in this file, for the merge to add once.
     */
    private static Path globalsOf(Path cachedDex) {
        return cachedDex.resolveSibling(cachedDex.getFileName() + ".globals");
    }

    /**
     * Writes the APK before signing. {@code dexDirs}' files become {@code classes.dex},
     * {@code classes2.dex}, ... in order: the merged libraries first, then the app's own dex, so
     * that a rebuild re-dexes only the app (native multidex, API 21+).
     */
    private void writeUnsigned(BuildLayout layout, List<Library> libs, List<Path> libraryJars, List<Path> dexDirs)
            throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(layout.unsignedApk()));
             ZipFile linked = new ZipFile(layout.linkedResources().toFile())) {
            var it = linked.entries();
            while (it.hasMoreElements()) {
                ZipEntry e = it.nextElement();
                try (InputStream in = linked.getInputStream(e)) {
                    put(zout, names, e.getName(), in.readAllBytes(),
                            e.getMethod() == ZipEntry.STORED || isStored(e.getName()));
                }
            }
            int dexIndex = 1;
            java.util.Map<String, byte[]> dexByName = new java.util.LinkedHashMap<>();
            for (Path dir : dexDirs) {
                for (Path dex : dexFiles(dir)) {
                    String name = dexIndex == 1 ? "classes.dex" : "classes" + dexIndex + ".dex";
                    byte[] bytes = Files.readAllBytes(dex);
                    put(zout, names, name, bytes, false);
                    dexByName.put(name, bytes);
                    dexIndex++;
                }
            }
            if (baselineProfile != null && baselineProfile.isFile()) {
                long t0 = System.nanoTime();
                // As AGP does: the app's rules plus the baseline-prof.txt each AAR ships (Compose's).
                Path merged = layout.root.resolve("baseline-prof.txt");
                StringBuilder rules = new StringBuilder(Files.readString(baselineProfile.toPath(), UTF_8)).append('\n');
                for (Library lib : libs) {
                    Path own = lib.unpacked().resolve("baseline-prof.txt");
                    if (lib.entry().isAar() && Files.isRegularFile(own)) {
                        rules.append(Files.readString(own, UTF_8)).append('\n');
                    }
                }
                Files.writeString(merged, rules, UTF_8);
                for (var e : BaselineProfile.compile(merged.toFile(), dexByName).entrySet()) {
                    put(zout, names, e.getKey(), e.getValue(), false);
                }
                getLog().info(String.format("Baseline profile %s compiled in %.1f s", baselineProfile.getName(),
                        (System.nanoTime() - t0) / 1e9));
            }
            for (Path jar : libraryJars) {
                try (ZipFile zf = new ZipFile(jar.toFile())) {
                    var jt = zf.entries();
                    while (jt.hasMoreElements()) {
                        ZipEntry e = jt.nextElement();
                        if (!e.isDirectory() && e.getName().startsWith("META-INF/services/")
                                && !names.contains(e.getName())) {
                            try (InputStream in = zf.getInputStream(e)) {
                                put(zout, names, e.getName(), in.readAllBytes(), false);
                            }
                        }
                    }
                }
            }
            for (Library lib : libs) {
                if (lib.entry().isAar()) {
                    addTree(zout, names, lib.unpacked().resolve("jni"), "lib/");
                    addTree(zout, names, lib.unpacked().resolve("assets"), "assets/");
                }
            }
            addTree(zout, names, assetsDir.toPath(), "assets/");
        }
    }

    /** D8's output files in their own order: classes.dex, classes2.dex, ... */
    private static List<Path> dexFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 1; ; i++) {
            Path dex = dir.resolve(i == 1 ? "classes.dex" : "classes" + i + ".dex");
            if (!Files.isRegularFile(dex)) {
                return files;
            }
            files.add(dex);
        }
    }

    private static void addTree(ZipOutputStream zout, Set<String> names, Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = prefix + dir.relativize(p).toString().replace(File.separatorChar, '/');
                if (!names.contains(name)) {
                    put(zout, names, name, Files.readAllBytes(p), isStored(name));
                }
            }
        }
    }

    private static boolean isStored(String name) {
        for (String ext : STORED_EXTENSIONS) {
            if (name.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    private static void put(ZipOutputStream zout, Set<String> names, String name, byte[] data, boolean stored)
            throws IOException {
        if (!names.add(name)) {
            throw new IOException("duplicate APK entry " + name);
        }
        ZipEntry e = new ZipEntry(name);
        e.setTime(ENTRY_TIME);
        if (stored) {
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            e.setCrc(crc.getValue());
        }
        zout.putNextEntry(e);
        zout.write(data);
        zout.closeEntry();
    }

    private void sign(Path unsigned, Path signed) throws IOException, GeneralSecurityException, MojoExecutionException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore.toPath())) {
            ks.load(in, keystorePassword.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey(keyAlias, keyPassword.toCharArray());
        Certificate[] chain = ks.getCertificateChain(keyAlias);
        if (key == null || chain == null) {
            throw new MojoExecutionException(keystore + " has no key '" + keyAlias + "'");
        }
        List<X509Certificate> certs = new ArrayList<>();
        for (Certificate c : chain) {
            certs.add((X509Certificate) c);
        }
        ApkSigner.SignerConfig signer = new ApkSigner.SignerConfig.Builder("CERT", new KeyConfig.Jca(key), certs).build();
        try {
            new ApkSigner.Builder(List.of(signer))
                    .setInputApk(unsigned.toFile())
                    .setOutputApk(signed.toFile())
                    .setMinSdkVersion(minSdk)
                    .setV1SigningEnabled(false)
                    .setV2SigningEnabled(true)
                    .setV3SigningEnabled(true)
                    .setAlignmentPreserved(false)
                    .setLibraryPageAlignmentBytes(16384)
                    .setCreatedBy("denoise android-maven-plugin")
                    .build()
                    .sign();
        } catch (com.android.apksig.apk.ApkFormatException e) {
            throw new IOException("signing: " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] bytes) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
