package dev.denoise.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An output file that appears under its name only when complete.
 *
 * <p>Bytes go to a temporary file next to the target (same directory, so the final rename stays
 * on one file system): {@code .<name>.<random>.part}. {@link #commit()} flushes it to storage
 * and atomically renames it onto the target; {@link #close()} without a commit deletes it. So
 * an interrupted or failed job never leaves a partial file under the target's name, and a
 * try-with-resources block that throws before {@code commit()} leaves nothing behind.
 *
 * <p>Guards, checked at {@link #create} and again at {@link #commit()}:
 * <ul>
 *   <li>the target must not be the same file as any given input ({@link Files#isSameFile}), so a
 *       job cannot overwrite its own source;
 *   <li>an existing target is refused unless {@code allowOverwrite} is set. The check and the
 *       rename are two steps: a file created at the target in between is replaced.
 * </ul>
 *
 * <p>Not thread-safe: one thread writes, commits and closes.
 */
public final class AtomicOutputFile implements Closeable {
  private static final int NAME_ATTEMPTS = 16;

  private final Path target;
  private final Path temporary;
  private final boolean allowOverwrite;
  private final Path[] inputs;
  private final FileChannel channel;
  private OutputStream stream;
  private boolean committed;
  private boolean closed;

  private AtomicOutputFile(
      Path target, Path temporary, boolean allowOverwrite, Path[] inputs, FileChannel channel) {
    this.target = target;
    this.temporary = temporary;
    this.allowOverwrite = allowOverwrite;
    this.inputs = inputs;
    this.channel = channel;
  }

  /** Opens an output that refuses to replace an existing {@code target}. */
  public static AtomicOutputFile create(Path target) throws IOException {
    return create(target, false);
  }

  /**
   * Opens an output for {@code target}.
   *
   * @param allowOverwrite whether an existing target may be replaced
   * @param inputs files the job reads; the target must not be any of them
   * @throws FileAlreadyExistsException when the target exists and overwriting is not allowed
   * @throws IOException when the target is an input or a directory, or the temporary file
   *     cannot be created
   */
  public static AtomicOutputFile create(Path target, boolean allowOverwrite, Path... inputs)
      throws IOException {
    Objects.requireNonNull(target, "target");
    Path absolute = target.toAbsolutePath();
    Path[] in = inputs.clone();
    checkTarget(absolute, allowOverwrite, in);
    Path dir = absolute.getParent();
    String name = absolute.getFileName().toString();
    for (int attempt = 0; ; attempt++) {
      Path temporary = dir.resolve(String.format(
          ".%s.%08x.part", name, ThreadLocalRandom.current().nextInt()));
      try {
        FileChannel channel = FileChannel.open(temporary,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        return new AtomicOutputFile(absolute, temporary, allowOverwrite, in, channel);
      } catch (FileAlreadyExistsException e) {
        if (attempt + 1 >= NAME_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** The final path (absolute). */
  public Path target() {
    return target;
  }

  /** Where the bytes are until {@link #commit()}. */
  public Path temporaryPath() {
    return temporary;
  }

  /** The temporary file's channel (readable, writable, seekable); owned by this object. */
  public FileChannel channel() {
    requireOpen();
    return channel;
  }

  /**
   * An unbuffered stream writing at the channel's position; closing it does not close or commit
   * this file.
   */
  public OutputStream outputStream() {
    requireOpen();
    if (stream == null) {
      stream = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          Objects.checkFromIndexSize(off, len, b.length);
          ByteBuffer bb = ByteBuffer.wrap(b, off, len);
          while (bb.hasRemaining()) {
            channel().write(bb);
          }
        }
      };
    }
    return stream;
  }

  public boolean isCommitted() {
    return committed;
  }

  /**
   * Forces the bytes to storage, closes the channel and renames the temporary file onto the
   * target. On failure the temporary file is deleted and the target is untouched.
   */
  public void commit() throws IOException {
    requireOpen();
    closed = true;
    try {
      channel.force(true);
      channel.close();
      checkTarget(target, allowOverwrite, inputs);
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      committed = true;
    } finally {
      if (!committed) {
        discard();
      }
    }
  }

  /** Deletes the temporary file unless committed. Safe to call more than once. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      discard();
    }
  }

  private void discard() throws IOException {
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(
          (committed ? "already committed: " : "closed: ") + target);
    }
  }

  private static void checkTarget(Path target, boolean allowOverwrite, Path[] inputs)
      throws IOException {
    if (Files.isDirectory(target)) {
      throw new IOException("refusing to write " + target + ": it is a directory");
    }
    boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    if (exists) {
      for (Path input : inputs) {
        if (Files.exists(input) && Files.isSameFile(target, input)) {
          throw new IOException(
              "refusing to write " + target + ": it is the same file as the input " + input);
        }
      }
      if (!allowOverwrite) {
        throw new FileAlreadyExistsException(target.toString(), null,
            "refusing to overwrite an existing file without permission to overwrite");
      }
    }
  }
}
