package org.openautoglm.oag.cli;

import java.io.PrintWriter;
import org.openautoglm.oag.bench.BenchException;
import org.openautoglm.oag.bench.etcd.EtcdException;
import org.openautoglm.oag.client.IndeterminateException;
import org.openautoglm.oag.client.InvalidArgumentException;
import org.openautoglm.oag.client.NotFoundException;
import org.openautoglm.oag.client.OagException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place that maps failures to exit codes: 0 ok, 1 failure (server, transport, not
 * found), 2 bad usage or bad input (parse errors, INVALID_ARGUMENT). Every failure prints
 * exactly one line on stderr; stack traces only with {@code --debug}.
 */
final class Errors
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String help = "'" + cmd.getCommandSpec().qualifiedName() + " --help'";
    line(cmd.getErr(), firstLine(ex.getMessage()) + " (see " + help + ")");
    if (java.util.Arrays.asList(args).contains("--debug")) {
      ex.printStackTrace(cmd.getErr());
    }
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    if (ex instanceof ParameterException pe) {
      return handleParseException(pe, parsed.originalArgs().toArray(new String[0]));
    }
    PrintWriter err = cmd.getErr();
    line(err, message(ex));
    if (debug(parsed)) {
      ex.printStackTrace(err);
    }
    return exitCode(ex);
  }

  static int exitCode(Throwable ex) {
    if (ex instanceof ParameterException || ex instanceof InvalidArgumentException) {
      return USAGE;
    }
    return FAILURE;
  }

  static String message(Throwable ex) {
    if (ex instanceof IndeterminateException ie) {
      return "outcome unknown, the request may or may not have been applied: "
          + firstLine(ie.getMessage())
          + (ie.requestId() == null ? "" : "; retry with --request-id " + ie.requestId());
    }
    if (ex instanceof InvalidArgumentException ia && ia.field() != null
        && !ia.getMessage().startsWith(ia.field())) {
      return "invalid " + ia.field() + ": " + firstLine(ia.getMessage());
    }
    if (ex instanceof NotFoundException || ex instanceof OagException
        || ex instanceof BenchException || ex instanceof EtcdException) {
      return firstLine(ex.getMessage());
    }
    if (ex instanceof java.io.IOException) {
      return "I/O error: " + firstLine(String.valueOf(ex.getMessage()));
    }
    return "internal error: " + ex.getClass().getSimpleName() + ": "
        + firstLine(String.valueOf(ex.getMessage())) + " (rerun with --debug for details)";
  }

  private static boolean debug(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  private static void line(PrintWriter err, String message) {
    err.println("oag: " + message);
    err.flush();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
