package org.openautoglm.oag.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.api.v1.TaskState;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing of resource quantities, durations and policies given on the command line. */
final class Units {
  private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*(Mi|Gi|Ti|MiB|GiB|TiB)?");
  private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(B|K|Ki|KiB|M|Mi|MiB|G|Gi|GiB)?");
  private static final Pattern SPAN_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

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

  /** {@code 4096} (bytes), {@code 64Ki} or {@code 64K}, {@code 1Mi}, {@code 1Gi} -> bytes, at least 1. */
  static final class Bytes implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      Matcher m = BYTES.matcher(value.strip());
      if (!m.matches()) {
        throw new TypeConversionException(
            "'" + value + "' is not a size in bytes (examples: 4096, 64Ki, 1Mi)");
      }
      int shift = m.group(2) == null ? 0 : switch (m.group(2).charAt(0)) {
        case 'K' -> 10;
        case 'M' -> 20;
        case 'G' -> 30;
        default -> 0;
      };
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is too large");
      }
      if (n > (Long.MAX_VALUE >> shift)) {
        throw new TypeConversionException("'" + value + "' is too large");
      }
      if (n == 0) {
        throw new TypeConversionException("'" + value + "' must be at least 1 byte");
      }
      return n << shift;
    }
  }

  /**
   * A positive duration: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 500ms}, {@code 1.5s},
   * {@code 2d}; a bare number is seconds. Whole milliseconds.
   */
  static final class Span implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.strip();
      String example = "'" + value + "' is not a duration (examples: 30s, 5m, 1h30m, 500ms)";
      BigDecimal ms = BigDecimal.ZERO;
      if (v.matches("\\d+(\\.\\d+)?")) {
        ms = new BigDecimal(v).movePointRight(3);
      } else {
        Matcher m = SPAN_PART.matcher(v);
        int at = 0;
        while (at < v.length() && m.find(at) && m.start() == at) {
          BigDecimal unit = BigDecimal.valueOf(switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
          });
          ms = ms.add(new BigDecimal(m.group(1)).multiply(unit));
          at = m.end();
        }
        if (at == 0 || at != v.length()) {
          throw new TypeConversionException(example);
        }
      }
      if (ms.compareTo(BigDecimal.ONE) < 0) {
        throw new TypeConversionException("'" + value + "' must be at least 1ms");
      }
      if (ms.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
        throw new TypeConversionException("'" + value + "' is too long");
      }
      return Duration.ofMillis(ms.longValue());
    }
  }

  /** A CPU share in percent of one core, {@code 150} or {@code 150%}; at least 1. */
  static final class Percent implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String v = value.strip();
      v = v.endsWith("%") ? v.substring(0, v.length() - 1) : v;
      try {
        int n = Integer.parseInt(v);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new TypeConversionException(
          "'" + value + "' is not a percent >= 1 (100 = one core; examples: 50, 150%)");
    }
  }

  /** exclusive | available. */
  static final class Fencing implements ITypeConverter<FencingMode> {
    @Override
    public FencingMode convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "exclusive" -> FencingMode.FENCING_EXCLUSIVE;
        case "available" -> FencingMode.FENCING_AVAILABLE;
        default -> throw new TypeConversionException(
            "'" + value + "' is not one of exclusive, available");
      };
    }
  }

  /** The server treats an unspecified mode as exclusive. */
  static String fencingName(FencingMode m) {
    return m == FencingMode.FENCING_AVAILABLE ? "available" : "exclusive";
  }

  /** What crossing a threshold does. */
  enum OnThreshold { restart, kill }

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

  /** A TCP port, 1-65535. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.strip());
        if (n >= 1 && n <= 65_535) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new TypeConversionException("'" + value + "' is not a port (1-65535)");
    }
  }

  static final class NonNegativeLong implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        long n = Long.parseLong(value.strip());
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new TypeConversionException("'" + value + "' is not a whole number >= 0");
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

  /** A whole number >= 1, where 0 would mean "the default" on the wire. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.strip());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new TypeConversionException("'" + value + "' is not a whole number >= 1");
    }
  }
}
