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
    description = "Open-AutoGLM coordinator: run a cluster, submit and manage tasks, inspect "
        + "nodes and the event log.",
    subcommands = {
        TaskCommand.class,
        NodeCommand.class,
        EventsCommand.class,
        ClusterCommand.class,
        BenchCommand.class,
        DevCommand.class,
        CoordinatorCommand.class,
        AgentCommand.class,
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
    keepAsyncStagesOnAPool();
    configureLogging(args);
    CommandLine cl = commandLine(CliContext.fromSystem());
    // Task output goes to stdout byte for byte (oag task logs).
    cl.setOut(new RawPrintWriter(System.out, java.nio.charset.Charset.defaultCharset()));
    System.exit(cl.execute(args));
  }

  /** The system property that sizes the JDK's common ForkJoinPool. */
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * On a machine with two cores or fewer the JDK's common pool has parallelism 1, and then
   * every {@code CompletableFuture} stage run "async" without an executor starts a thread of
   * its own. Ratis does that on each follower for every AppendEntries, so a 2-core host
   * paid a thread start per replicated entry (about 1% of a follower's CPU, and latency).
   * Sized here, before anything touches the pool; an explicit -D setting wins.
   */
  static void keepAsyncStagesOnAPool() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  /** Servers log at INFO; client commands stay quiet unless --debug. */
  private static void configureLogging(String[] args) {
    boolean server = args.length > 0
        && (args[0].equals("dev") || args[0].equals("coordinator") || args[0].equals("agent"));
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
