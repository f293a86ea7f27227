package dev.denoise.core.audio;

import java.lang.management.ManagementFactory;

/** Measures bytes allocated by the current thread, for the no-allocation tests. */
public final class AllocationProbe {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private AllocationProbe() {}

  /** Bytes the calling thread has allocated so far. */
  public static long allocatedBytes() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /** Bytes allocated by {@code work} on this thread (the probe's own cost subtracted). */
  public static long measure(Runnable work) {
    long baseline = allocatedBytes();
    long overhead = allocatedBytes() - baseline;
    long before = allocatedBytes();
    work.run();
    return allocatedBytes() - before - overhead;
  }
}
