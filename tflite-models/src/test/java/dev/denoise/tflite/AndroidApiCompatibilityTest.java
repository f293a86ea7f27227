package dev.denoise.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.denoise.core.audio.rnn.GainModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapters compile against Android's TensorFlow Lite 2.16.1 ({@code tensorflow-lite} and
 * {@code tensorflow-lite-api} AARs, their {@code classes.jar}) as well as against the desktop
 * 2.6 API they are built with: a method that exists in only one would fail on the other at run
 * time, on a phone, where no test runs.
 */
class AndroidApiCompatibilityTest {
  @TempDir
  Path dir;

  @Test
  void mainSourcesCompileAgainstTheAndroidAars() throws IOException, URISyntaxException {
    String aars = System.getProperty("android.tflite.aars");
    assertNotNull(aars, "surefire sets android.tflite.aars (see tflite-models/pom.xml)");
    List<String> classpath = new ArrayList<>();
    int n = 0;
    for (String aar : aars.split(java.io.File.pathSeparator)) {
      try (ZipFile zip = new ZipFile(aar); InputStream in = zip.getInputStream(
          zip.getEntry("classes.jar"))) {
        Path jar = dir.resolve("classes" + n++ + ".jar");
        Files.copy(in, jar);
        classpath.add(jar.toString());
      }
    }
    classpath.add(Path.of(GainModel.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()).toString());
    List<String> args = new ArrayList<>(List.of("-d", dir.resolve("out").toString(),
        "-classpath", String.join(java.io.File.pathSeparator, classpath), "-proc:none"));
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, args.toArray(String[]::new));
    assertEquals(0, rc, "javac against TFLite 2.16.1 failed; its errors are in the test output");
  }
}
