package io.omearrow.cli;

import io.omearrow.core.OmeArrowException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ome-arrow} command: one subcommand per class, each a thin shell over the library.
 * Exit status: 0 success, 2 usage error, 3 bad input (missing or corrupt file, selection out of
 * range, unsupported feature), 1 internal error; errors print one line on stderr, and a stack
 * trace only with {@code --debug}.
 */
@Command(name = "ome-arrow", mixinStandardHelpOptions = true, version = "ome-arrow 0.1.0",
    description = "Microscopy images as Apache Arrow data: inspect, convert, view, tile, benchmark.",
    subcommands = {InfoCommand.class, ConvertCommand.class, ViewCommand.class, TilesCommand.class, DemoCommand.class, BenchCommand.class})
public final class OmeArrowCli implements Runnable {
  /** Exit status for bad input. */
  public static final int BAD_INPUT = 3;
  /** Exit status for usage errors. */
  public static final int USAGE = 2;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit status (for tests and the launcher). */
  public static int execute(String... args) {
    List<String> rest = new ArrayList<>();
    boolean debug = false;
    for (String a : args) {
      if (a.equals("--debug")) {
        debug = true;
      } else {
        rest.add(a);
      }
    }
    boolean showStack = debug;
    CommandLine cmd = new CommandLine(new OmeArrowCli());
    cmd.setParameterExceptionHandler((ex, a) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage() + " (see '"
          + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      return USAGE;
    });
    cmd.setExecutionExceptionHandler((ex, c, parse) -> {
      PrintWriter err = c.getErr();
      if (showStack) {
        ex.printStackTrace(err);
      }
      if (ex instanceof OmeArrowException || ex instanceof NoSuchFileException) {
        err.println("ome-arrow " + c.getCommandName() + ": " + oneLine(ex));
        return BAD_INPUT;
      }
      if (ex instanceof CommandLine.ParameterException pe) {
        err.println("ome-arrow " + c.getCommandName() + ": " + oneLine(pe));
        return USAGE;
      }
      err.println("ome-arrow " + c.getCommandName() + ": internal error: " + oneLine(ex) + (showStack ? "" : " (run with --debug for the stack trace)"));
      return 1;
    });
    return cmd.execute(rest.toArray(String[]::new));
  }

  private static String oneLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.replace('\n', ' ');
  }
}
