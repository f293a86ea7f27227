package dev.denoise.core;

import java.util.concurrent.CancellationException;

/** Receives progress of long work and may cancel it. Called from the working thread. */
public interface Progress {

  /** Ignores progress and never cancels. */
  Progress NONE = fraction -> { };

  /**
   * Reports that {@code fraction} (0…1) of the work is done.
   *
   * @throws CancellationException to stop the work; the caller propagates it
   */
  void update(double fraction);

  /**
   * The progress of part {@code index} of {@code count} equal parts of this work: its 0…1
   * (clamped) maps onto {@code [index / count, (index + 1) / count]} here.
   */
  default Progress part(int index, int count) {
    return fraction -> update((index + Math.max(0, Math.min(1, fraction))) / count);
  }
}
