package org.openautoglm.oag.chaos.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The built distribution the cluster under test runs: {@code cli/target/oag/lib}, which the
 * cli module fills in {@code package} and {@code bin/oag} puts on its class path. Processes
 * are started with {@code java} directly rather than through {@code bin/oag}, so that the
 * harness owns the JVM's pid and its options and never triggers a rebuild mid-run.
 */
public record Distribution(Path lib) {
  static final String PROPERTY = "oag.distribution";
  private static final String MAIN = "org.openautoglm.oag.cli.Main";

  /**
   * The distribution named by {@code -Doag.distribution=DIR} (its lib folder), else the one
   * under {@code cli/target/oag/lib} of the nearest enclosing checkout.
   */
  public static Distribution locate() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null) {
      return check(Path.of(configured));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path lib = dir.resolve("cli/target/oag/lib");
      if (Files.isRegularFile(lib.resolve("oag-cli.jar"))) {
        return new Distribution(lib);
      }
    }
    throw new IllegalStateException("no built distribution (cli/target/oag/lib/oag-cli.jar) "
        + "above " + Path.of("").toAbsolutePath() + "; run ./mvnw -pl cli -am package first, "
        + "or pass -D" + PROPERTY + "=DIR");
  }

  private static Distribution check(Path lib) {
    if (!Files.isRegularFile(lib.resolve("oag-cli.jar"))) {
      throw new IllegalStateException(PROPERTY + "=" + lib + " has no oag-cli.jar");
    }
    return new Distribution(lib.toAbsolutePath());
  }

  /** {@code java OPTIONS -cp LIB/* Main ARGS}, with the JDK running this harness. */
  public List<String> command(List<String> jvmOptions, List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(jvmOptions);
    argv.add("-cp");
    argv.add(lib.resolve("*").toString());
    argv.add(MAIN);
    argv.addAll(args);
    return argv;
  }
}
