package org.openautoglm.oag.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code oag} command. Each command group is its own class; this one only wires them,
 * the shared {@link CliContext} and the single {@link Errors} handler that turns every
 * failure into an exit code and one line on stderr.
 */
@Command(name = "oag",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = Main.Version.class,
    description = "Open-AutoGLM coordinator: run a cluster, submit and manage tasks.",
    subcommands = {
        TaskCommand.class,
        ClusterCommand.class,
        BenchCommand.class,
        DevCommand.class,
        CoordinatorCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Main {

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Print stack traces and debug logs.")
  boolean debug;

  private final CliContext context;

  Main(CliContext context) {
    this.context = context;
  }

  CliContext context() {
    return context;
  }

  /** A fully configured command line; tests call this with their own context and streams. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine cl = new CommandLine(new Main(context));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    Errors errors = new Errors();
    cl.setExecutionExceptionHandler(errors);
    cl.setParameterExceptionHandler(errors);
    return cl;
  }

  public static void main(String[] args) {
    configureLogging(args);
    System.exit(commandLine(CliContext.fromSystem()).execute(args));
  }

  /** Servers log at INFO; client commands stay quiet unless --debug. */
  private static void configureLogging(String[] args) {
    boolean server = args.length > 0 && (args[0].equals("dev") || args[0].equals("coordinator"));
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel",
            debug ? "debug" : server ? "info" : "warn"));
    if (!debug) {
      // Ratis narrates every election and append at INFO; operators need its warnings only.
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.ratis",
          System.getProperty("org.slf4j.simpleLogger.log.org.apache.ratis", "warn"));
    }
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"oag " + (v == null ? "(built from source, version unknown)" : v)};
    }
  }
}
