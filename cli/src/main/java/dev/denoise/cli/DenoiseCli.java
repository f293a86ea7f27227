package dev.denoise.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code denoise} desktop tool: the same core and models as the app, on a desktop JVM.
 *
 * <p>Exit codes: 0 success, 1 the job failed (the reason is printed as one line), 2 bad usage.
 */
@Command(
    name = "denoise",
    mixinStandardHelpOptions = true,
    versionProvider = DenoiseCli.Version.class,
    description = "Offline voice and photo denoising.",
    subcommands = {
      AudioCommand.class,
      EvalAudioCommand.class,
      ImageCommand.class,
      EvalImageCommand.class,
      BenchCommand.class,
      DemoCommand.class,
      ModelsCommand.class,
      FeaturesCommand.class,
      OracleCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DenoiseCli {

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the tool with the given streams; returns the exit code. Used by tests too. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new DenoiseCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("denoise: " + oneLine(e));
      return 1;
    });
    return cli.execute(args);
  }

  /** The exception's message on one line, or its type when it has none. */
  static String oneLine(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    } else if (e instanceof java.nio.file.NoSuchFileException) {
      message = "no such file: " + message;
    } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
      message = "output exists (use --force to replace it): " + message;
    } else if (e instanceof java.nio.file.AccessDeniedException) {
      message = "permission denied: " + message;
    }
    return message.replace('\n', ' ').replace('\r', ' ');
  }

  /** Version from the jar manifest when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DenoiseCli.class.getPackage().getImplementationVersion();
      return new String[] {"denoise " + (v == null ? "(development build)" : v)};
    }
  }
}
