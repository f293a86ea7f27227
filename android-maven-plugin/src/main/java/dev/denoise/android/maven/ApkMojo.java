package dev.denoise.android.maven;

import com.android.apksig.ApkSigner;
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
 *       jar's SHA-256, the D8 version and minSdk, so rebuilds only dex the app's classes.</li>
 *   <li>A final D8 run merges the app's classes with the cached library dex into
 *       {@code classes*.dex}.</li>
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
    private static final Set<String> STORED_EXTENSIONS = Set.of(".so", ".tflite", ".arsc");

    @Component
    private MavenProjectHelper projectHelper;

    @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true)
    private File classesDir;

    @Parameter(defaultValue = "${project.basedir}/src/main/assets")
    private File assetsDir;

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
            for (org.apache.maven.artifact.Artifact a : project.getArtifacts()) {
                String scope = a.getScope();
                if (("compile".equals(scope) || "runtime".equals(scope)) && "jar".equals(a.getType())) {
                    libraryJars.add(a.getFile().toPath());
                }
            }
            List<Path> libraryDex = new ArrayList<>();
            int dexed = 0;
            for (Path jar : libraryJars) {
                Path cached = dexCache.toPath().resolve(sha256(jar) + "-d8-" + Version.getVersionString()
                        + "-api" + minSdk + ".zip");
                if (!Files.isRegularFile(cached)) {
                    dexLibrary(jar, libraryJars, cached);
                    dexed++;
                }
                libraryDex.add(cached);
            }
            long t1 = System.nanoTime();
            Path dexDir = layout.dexDir();
            deleteTree(dexDir);
            Files.createDirectories(dexDir);
            List<Path> program = new ArrayList<>(libraryDex);
            try (Stream<Path> s = Files.walk(classesDir.toPath())) {
                s.filter(p -> p.toString().endsWith(".class")).forEach(program::add);
            }
            D8.run(D8Command.builder()
                    .addProgramFiles(program)
                    .addLibraryFiles(platformJar().toPath())
                    .addClasspathFiles(libraryJars)
                    .setMinApiLevel(minSdk)
                    .setOutput(dexDir, OutputMode.DexIndexed)
                    .build());
            long t2 = System.nanoTime();
            writeUnsigned(layout, libs, libraryJars);
            sign(layout.unsignedApk(), apk.toPath());
            long t3 = System.nanoTime();
            getLog().info(String.format(Locale.ROOT,
                    "Dex: %d library jars (%d newly dexed) %.1f s, merge with app %.1f s; package+sign %.1f s",
                    libraryJars.size(), dexed, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
            getLog().info("APK: " + apk + " (" + Files.size(apk.toPath()) + " bytes)");
            projectHelper.attachArtifact(project, "apk", apk);
        } catch (IOException | CompilationFailedException | GeneralSecurityException e) {
            throw new MojoExecutionException("apk: " + e.getMessage(), e);
        }
    }

    private void dexLibrary(Path jar, List<Path> classpath, Path cached)
            throws IOException, CompilationFailedException, MojoExecutionException {
        Files.createDirectories(cached.getParent());
        Path tmp = Files.createTempFile(cached.getParent(), "dex", ".zip");
        Files.delete(tmp);
        List<Path> others = new ArrayList<>(classpath);
        others.remove(jar);
        D8.run(D8Command.builder()
                .addProgramFiles(jar)
                .addLibraryFiles(platformJar().toPath())
                .addClasspathFiles(others)
                .setMinApiLevel(minSdk)
                .setIntermediate(true)
                .setOutput(tmp, OutputMode.DexIndexed)
                .build());
        Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void writeUnsigned(BuildLayout layout, List<Library> libs, List<Path> libraryJars) throws IOException {
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
            try (Stream<Path> s = Files.list(layout.dexDir())) {
                for (Path dex : s.sorted().toList()) {
                    put(zout, names, dex.getFileName().toString(), Files.readAllBytes(dex), false);
                }
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
        ApkSigner.SignerConfig signer = new ApkSigner.SignerConfig.Builder("CERT", key, certs).build();
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

    private static String sha256(Path file) throws IOException, GeneralSecurityException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(Files.readAllBytes(file));
        return HexFormat.of().formatHex(md.digest());
    }
}
