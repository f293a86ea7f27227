package dev.denoise.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs one subcommand on its own (not through {@link DenoiseCli}), with DenoiseCli's one-line
 * error handling: stdout discarded, stderr into {@code err}, the exit code returned.
 */
final class SubcommandRunner {
  private SubcommandRunner() {}

  static int run(Object command, StringWriter err, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("denoise: " + DenoiseCli.oneLine(e));
      return 1;
    });
    return cli.execute(args);
  }
}
