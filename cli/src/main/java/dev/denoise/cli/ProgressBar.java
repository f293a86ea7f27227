package dev.denoise.cli;

import dev.denoise.core.Progress;
import java.io.PrintWriter;

/** A one-line text progress bar ({@code label [#####.....]  50%}) redrawn with '\r'. */
final class ProgressBar implements Progress {
  private static final int WIDTH = 30;
  private final PrintWriter out;
  private final boolean enabled;
  private String label = "";
  private int shown = -1;

  ProgressBar(PrintWriter out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  /** Starts a new stage; the bar restarts at 0 %. */
  void stage(String name) {
    finish();
    label = name;
    shown = -1;
    update(0);
  }

  @Override
  public void update(double fraction) {
    if (!enabled) {
      return;
    }
    int percent = (int) Math.round(100 * Math.max(0, Math.min(1, fraction)));
    if (percent == shown) {
      return;
    }
    shown = percent;
    int filled = percent * WIDTH / 100;
    out.printf("\r%-12s [%s%s] %3d%%", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
        percent);
    out.flush();
  }

  /** Ends the current line if a bar is showing. */
  void finish() {
    if (enabled && shown >= 0) {
      out.println();
      out.flush();
      shown = -1;
    }
  }
}
