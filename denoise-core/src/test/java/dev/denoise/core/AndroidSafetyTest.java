package dev.denoise.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * denoise-core must run on Android: its compiled classes may not reference desktop-only APIs
 * (AWT, Swing, javax.sound, javax.imageio, java.lang.management, JDK internals) and may not
 * declare native methods. This scans every class file of the module's main output.
 */
class AndroidSafetyTest {
  private static final String[] FORBIDDEN = {
    "java/awt/", "javax/swing/", "javax/sound/", "javax/imageio/", "java/lang/management/",
    "sun/", "com/sun/", "jdk/internal/", "java/rmi/", "javax/management/"
  };

  @Test
  void mainClassesUseOnlyAndroidApis() throws IOException, URISyntaxException {
    Path classes = Path.of(Progress.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> problems = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        scanned++;
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String prefix : FORBIDDEN) {
          // Constant-pool class and descriptor references: "java/awt/..." or "Ljava/awt/...".
          if (bytes.contains("\u0000" + prefix) || bytes.contains("L" + prefix)
              || bytes.contains("\u0001" + prefix)) {
            problems.add(classes.relativize(file) + " references " + prefix);
          }
        }
        String name = classes.relativize(file).toString()
            .replace(file.getFileSystem().getSeparator(), ".").replaceAll("\\.class$", "");
        try {
          Class<?> type = Class.forName(name, false, getClass().getClassLoader());
          for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isNative(m.getModifiers())) {
              problems.add(name + " declares native method " + m.getName());
            }
          }
        } catch (ClassNotFoundException | LinkageError e) {
          problems.add(name + " cannot be loaded: " + e);
        }
      }
    }
    assertTrue(scanned > 20, "scanned only " + scanned + " classes under " + classes);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }
}
