package dev.denoise.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputFileTest {
  private static final byte[] PAYLOAD = "complete".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  @Test
  void commitMovesTheCompleteFileIntoPlace() throws IOException {
    Path target = dir.resolve("out.wav");
    try (AtomicOutputFile out = AtomicOutputFile.create(target)) {
      out.outputStream().write(PAYLOAD);
      assertFalse(Files.exists(target), "target must not exist before commit");
      assertEquals(dir.toAbsolutePath(), out.temporaryPath().getParent(), "temp in same dir");
      assertTrue(Files.exists(out.temporaryPath()));
      out.commit();
      assertTrue(out.isCommitted());
    }
    assertArrayEquals(PAYLOAD, Files.readAllBytes(target));
    assertEquals(List.of(target.getFileName().toString()), listNames());
  }

  @Test
  void closeWithoutCommitLeavesNothing() throws IOException {
    Path target = dir.resolve("out.wav");
    Path temp;
    try (AtomicOutputFile out = AtomicOutputFile.create(target)) {
      out.outputStream().write(PAYLOAD);
      temp = out.temporaryPath();
    }
    assertFalse(Files.exists(target));
    assertFalse(Files.exists(temp));
    assertEquals(List.of(), listNames());
  }

  @Test
  void refusesToOverwriteByDefaultAndKeepsTheOldFile() throws IOException {
    Path target = dir.resolve("out.wav");
    Files.write(target, new byte[] {1, 2, 3});
    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, () -> AtomicOutputFile.create(target));
    assertTrue(e.getMessage().contains("out.wav"), e.getMessage());
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
    assertEquals(List.of("out.wav"), listNames());
  }

  @Test
  void overwritesWhenAllowed() throws IOException {
    Path target = dir.resolve("out.wav");
    Files.write(target, new byte[] {1, 2, 3});
    try (AtomicOutputFile out = AtomicOutputFile.create(target, true)) {
      out.outputStream().write(PAYLOAD);
      assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target), "old until commit");
      out.commit();
    }
    assertArrayEquals(PAYLOAD, Files.readAllBytes(target));
  }

  @Test
  void refusesTheInputEvenWhenOverwriteIsAllowedAndSpelledDifferently() throws IOException {
    Path input = dir.resolve("in.wav");
    Files.write(input, new byte[] {9});
    Files.createDirectory(dir.resolve("sub"));
    Path sameFile = dir.resolve("sub").resolve("..").resolve("in.wav");
    IOException e = assertThrows(IOException.class,
        () -> AtomicOutputFile.create(sameFile, true, input));
    assertTrue(e.getMessage().contains("same file as the input"), e.getMessage());
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(input));
  }

  @Test
  void acceptsADifferentInput() throws IOException {
    Path input = dir.resolve("in.wav");
    Files.write(input, new byte[] {9});
    try (AtomicOutputFile out = AtomicOutputFile.create(dir.resolve("o.wav"), false, input)) {
      out.commit();
    }
    assertTrue(Files.exists(dir.resolve("o.wav")));
  }

  @Test
  void refusesADirectory() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    IOException e = assertThrows(IOException.class, () -> AtomicOutputFile.create(sub, true));
    assertTrue(e.getMessage().contains("directory"), e.getMessage());
  }

  @Test
  void aTargetThatAppearsBeforeCommitIsNotReplacedWithoutPermission() throws IOException {
    Path target = dir.resolve("out.wav");
    AtomicOutputFile out = AtomicOutputFile.create(target);
    out.outputStream().write(PAYLOAD);
    Files.write(target, new byte[] {7});
    assertThrows(FileAlreadyExistsException.class, out::commit);
    assertFalse(out.isCommitted());
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(target));
    assertFalse(Files.exists(out.temporaryPath()), "temp deleted after a failed commit");
    out.close();
  }

  @Test
  void noUseAfterCommit() throws IOException {
    AtomicOutputFile out = AtomicOutputFile.create(dir.resolve("o.wav"));
    out.commit();
    assertThrows(IllegalStateException.class, out::channel);
    assertThrows(IllegalStateException.class, out::commit);
    out.close();
    assertTrue(Files.exists(dir.resolve("o.wav")), "close after commit keeps the file");
  }

  private List<String> listNames() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
