package org.openautoglm.oag.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.api.v1.TaskState;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing of resource quantities and policies given on the command line. */
final class Units {
  private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*(Mi|Gi|Ti|MiB|GiB|TiB)?");

  private Units() {}

  /** {@code 512} (MiB), {@code 256Mi}, {@code 1Gi}, {@code 2Ti} -> MiB. */
  static long parseMemoryMiB(String text) {
    Matcher m = MEMORY.matcher(text.strip());
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + text + "' is not a memory size (examples: 512, 256Mi, 1Gi)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is too large");
    }
    String unit = m.group(2) == null ? "Mi" : m.group(2).substring(0, 1);
    int shift = switch (unit) {
      case "G" -> 10;
      case "T" -> 20;
      default -> 0;
    };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new TypeConversionException("'" + text + "' is too large");
    }
    return n << shift;
  }

  static final class Memory implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parseMemoryMiB(value);
    }
  }

  /** CPU in cores: {@code 0.5}, {@code 2}, or millicores {@code 500m}. */
  static final class Cpu implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      String v = value.strip();
      double cores;
      try {
        cores = v.endsWith("m")
            ? Long.parseLong(v.substring(0, v.length() - 1)) / 1000.0
            : Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a number of cores (examples: 0.5, 2, 500m)");
      }
      if (!(cores >= 0) || Double.isInfinite(cores) || cores > 1_000_000) {
        throw new TypeConversionException("'" + value + "' is not a number of cores >= 0");
      }
      return cores;
    }
  }

  /** never | on-failure | always. */
  static final class Restart implements ITypeConverter<RestartPolicy> {
    @Override
    public RestartPolicy convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "never" -> RestartPolicy.RESTART_NEVER;
        case "on-failure", "onfailure", "on_failure" -> RestartPolicy.RESTART_ON_FAILURE;
        case "always" -> RestartPolicy.RESTART_ALWAYS;
        default -> throw new TypeConversionException(
            "'" + value + "' is not one of never, on-failure, always");
      };
    }
  }

  static String restartName(RestartPolicy p) {
    return switch (p) {
      case RESTART_ON_FAILURE -> "on-failure";
      case RESTART_ALWAYS -> "always";
      default -> "never";
    };
  }

  /** A task state by name, any case; the proto's placeholder values are refused. */
  static final class State implements ITypeConverter<TaskState> {
    static final String NAMES = "created, pending, scheduled, running, paused, succeeded, "
        + "failed, stopped, lost";

    @Override
    public TaskState convert(String value) {
      try {
        TaskState s = TaskState.valueOf(value.strip().toUpperCase(Locale.ROOT));
        if (s != TaskState.TASK_STATE_UNSPECIFIED && s != TaskState.UNRECOGNIZED) {
          return s;
        }
      } catch (IllegalArgumentException e) {
        // fall through
      }
      throw new TypeConversionException("'" + value + "' is not one of " + NAMES);
    }
  }

  static final class NonNegativeInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.strip());
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new TypeConversionException("'" + value + "' is not a whole number >= 0");
    }
  }
}
