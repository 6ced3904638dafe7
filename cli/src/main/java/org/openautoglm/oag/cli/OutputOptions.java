package org.openautoglm.oag.cli;

import picocli.CommandLine.Option;

/** {@code -o table|json}, on every command that prints a result. */
final class OutputOptions {
  enum Format { table, json }

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.table;

  boolean json() {
    return format == Format.json;
  }
}
