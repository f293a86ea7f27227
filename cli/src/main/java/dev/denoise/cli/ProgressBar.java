package dev.denoise.cli;

import java.io.PrintWriter;

/**
 * A one-line text progress bar on the error stream, redrawn in place with carriage returns and
 * only when the shown percentage changes. Silent when {@code enabled} is false.
 */
final class ProgressBar implements dev.denoise.core.Progress {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final String label;
  private final boolean enabled;
  private int shownPercent = -1;

  ProgressBar(PrintWriter err, String label, boolean enabled) {
    this.err = err;
    this.label = label;
    this.enabled = enabled;
  }

  @Override
  public void update(double fraction) {
    if (!enabled) {
      return;
    }
    int percent = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
    if (percent == shownPercent) {
      return;
    }
    shownPercent = percent;
    int filled = percent * WIDTH / 100;
    err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
        + percent + "%");
    err.flush();
  }

  /** Ends the bar's line (after 100% or an error). */
  void finish() {
    if (enabled && shownPercent >= 0) {
      err.println();
    }
  }
}
