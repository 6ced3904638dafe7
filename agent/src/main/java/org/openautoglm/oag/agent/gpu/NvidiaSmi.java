package org.openautoglm.oag.agent.gpu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the host's GPUs and GPU processes through the {@code nvidia-smi} CLI.
 *
 * <p>Contract: no method throws because the host has no GPU, no driver or no
 * {@code nvidia-smi}. Without an executable the lists are empty and nothing is logged; when
 * nvidia-smi fails (cannot start, non-zero exit, runs past the timeout) the list is empty and
 * one WARN line says why; a line that cannot be parsed is skipped, and one WARN line per call
 * counts the skipped lines and shows the first.
 *
 * <p>Each call runs nvidia-smi once and blocks for at most the timeout (5 s by default):
 * stdout goes to a temp file, so a chatty or hung nvidia-smi cannot block on a full pipe, and
 * one that outlives the timeout is killed with its descendants. Instances are immutable and
 * safe to use from any thread.
 */
public final class NvidiaSmi {
  private static final Logger log = LoggerFactory.getLogger(NvidiaSmi.class);

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  private static final String EXECUTABLE = "nvidia-smi";
  private static final String GPU_QUERY = "--query-gpu=index,uuid,name,memory.total";
  private static final String PROCESS_QUERY = "--query-compute-apps=pid,gpu_uuid,used_memory";
  private static final String FORMAT = "--format=csv,noheader,nounits";

  private final Optional<Path> executable;
  private final Duration timeout;

  private NvidiaSmi(Optional<Path> executable, Duration timeout) {
    this.executable = executable;
    this.timeout = timeout;
  }

  /** The {@code nvidia-smi} found on {@code PATH}, or one that reports no GPUs if none is. */
  public static NvidiaSmi onPath() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, EXECUTABLE);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return new NvidiaSmi(Optional.of(candidate), DEFAULT_TIMEOUT);
        }
      }
    }
    return new NvidiaSmi(Optional.empty(), DEFAULT_TIMEOUT);
  }

  /** The nvidia-smi at {@code executable}; if it does not exist the lists are empty. */
  public static NvidiaSmi at(Path executable) {
    return at(executable, DEFAULT_TIMEOUT);
  }

  static NvidiaSmi at(Path executable, Duration timeout) {
    return new NvidiaSmi(Optional.of(executable), timeout);
  }

  /** The host's GPUs in nvidia-smi's order; empty when there are none or nvidia-smi fails. */
  public List<Gpu> gpus() {
    return run(GPU_QUERY).map(NvidiaSmi::parseGpus).orElse(List.of());
  }

  /** The compute processes on the host's GPUs; empty when there are none or nvidia-smi fails. */
  public List<GpuProcess> processes() {
    return run(PROCESS_QUERY).map(NvidiaSmi::parseProcesses).orElse(List.of());
  }

  /**
   * Each compute process's SM utilisation, from one {@code nvidia-smi pmon -c 1 -s u} sample;
   * empty when there are none or nvidia-smi fails. pmon has no CSV mode and its columns vary
   * by driver version, so they are found by name in its header line.
   */
  public List<GpuProcessUtilization> processUtilization() {
    return run(List.of("pmon", "-c", "1", "-s", "u")).map(NvidiaSmi::parsePmon).orElse(List.of());
  }

  /**
   * Parses pmon output: a {@code # gpu pid type sm mem ...} header (a second {@code #} line
   * holds units), then one line per process; {@code -} reads as 0, and a line whose pid is
   * {@code -} (a GPU without processes) is skipped silently.
   */
  static List<GpuProcessUtilization> parsePmon(String text) {
    int gpuCol = -1;
    int pidCol = -1;
    int smCol = -1;
    StringBuilder rows = new StringBuilder();
    for (String line : text.split("\\R")) {
      String t = line.strip();
      if (t.startsWith("#")) {
        List<String> names = List.of(t.substring(1).trim().toLowerCase().split("\\s+"));
        if (gpuCol < 0 && names.contains("pid") && names.contains("sm")) {
          gpuCol = names.indexOf("gpu");
          pidCol = names.indexOf("pid");
          smCol = names.indexOf("sm");
        }
      } else if (!t.isEmpty() && !(pidCol >= 0 && field(t, pidCol).equals("-"))) {
        rows.append(t).append('\n');
      }
    }
    if (pidCol < 0 || smCol < 0) {
      if (!rows.isEmpty()) {
        log.warn("event=nvidia_smi_unparsable query=pmon reason=\"no header with pid and sm\"");
      }
      return List.of();
    }
    int g = gpuCol;
    int p = pidCol;
    int sm = smCol;
    return parseLines(rows.toString(), "pmon", line -> {
      String[] f = line.split("\\s+");
      return new GpuProcessUtilization(Long.parseLong(f[p]), g < 0 ? 0 : Integer.parseInt(f[g]),
          f[sm].equals("-") ? 0 : Double.parseDouble(f[sm]));
    });
  }

  private static String field(String line, int index) {
    String[] f = line.split("\\s+");
    return index < f.length ? f[index] : "";
  }

  /** Parses {@code index, uuid, name, memory.total} lines; the name may hold spaces or commas. */
  static List<Gpu> parseGpus(String csv) {
    return parseLines(csv, "gpus", line -> {
      int first = line.indexOf(',');
      int second = line.indexOf(',', first + 1);
      int last = line.lastIndexOf(',');
      if (first < 0 || second < 0 || last <= second) {
        throw new IllegalArgumentException("expected 4 fields");
      }
      return new Gpu(
          Integer.parseInt(line.substring(0, first).trim()),
          nonEmpty(line.substring(first + 1, second)),
          nonEmpty(line.substring(second + 1, last)),
          mebibytes(line.substring(last + 1)));
    });
  }

  /** Parses {@code pid, gpu_uuid, used_memory} lines. */
  static List<GpuProcess> parseProcesses(String csv) {
    return parseLines(csv, "processes", line -> {
      String[] fields = line.split(",", -1);
      if (fields.length != 3) {
        throw new IllegalArgumentException("expected 3 fields");
      }
      return new GpuProcess(
          Long.parseLong(fields[0].trim()), nonEmpty(fields[1]), mebibytes(fields[2]));
    });
  }

  private static <T> List<T> parseLines(String csv, String what, Function<String, T> parser) {
    List<T> parsed = new ArrayList<>();
    int skipped = 0;
    String firstBad = null;
    for (String line : csv.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        parsed.add(parser.apply(line));
      } catch (RuntimeException e) { // NumberFormatException is an IllegalArgumentException
        if (skipped++ == 0) {
          firstBad = line.strip();
        }
      }
    }
    if (skipped > 0) {
      log.warn("event=nvidia_smi_unparsable query={} skipped_lines={} first=\"{}\"",
          what, skipped, firstBad);
    }
    return List.copyOf(parsed);
  }

  private static String nonEmpty(String field) {
    String value = field.trim();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("empty field");
    }
    return value;
  }

  /** A MiB count; a bracketed value such as {@code [N/A]} means "not reported" and reads as 0. */
  private static long mebibytes(String field) {
    String value = field.trim();
    if (value.startsWith("[") && value.endsWith("]")) {
      return 0;
    }
    long mib = Long.parseLong(value);
    if (mib < 0) {
      throw new IllegalArgumentException("negative memory");
    }
    return mib;
  }

  private Optional<String> run(String query) {
    return run(List.of(query, FORMAT));
  }

  /** Runs nvidia-smi with {@code args}; its stdout, or empty after one WARN when it fails. */
  private Optional<String> run(List<String> args) {
    String query = String.join(" ", args);
    if (executable.isEmpty() || !Files.exists(executable.get())) {
      return Optional.empty();
    }
    Path exe = executable.get();
    Path out = null;
    Process process = null;
    try {
      out = Files.createTempFile("nvidia-smi", ".csv");
      List<String> argv = new ArrayList<>(args.size() + 1);
      argv.add(exe.toString());
      argv.addAll(args);
      process = new ProcessBuilder(argv)
          .redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("event=nvidia_smi_timeout exe={} query={} timeout_ms={}",
            exe, query, timeout.toMillis());
        return Optional.empty();
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        // nvidia-smi prints its errors ("couldn't communicate with the NVIDIA driver") to stdout
        log.warn("event=nvidia_smi_failed exe={} query={} exit={} output=\"{}\"",
            exe, query, process.exitValue(), firstLine(stdout));
        return Optional.empty();
      }
      return Optional.of(stdout);
    } catch (IOException e) {
      log.warn("event=nvidia_smi_failed exe={} query={} error=\"{}\"", exe, query, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("event=nvidia_smi_interrupted exe={} query={}", exe, query);
      return Optional.empty();
    } finally {
      if (process != null && process.isAlive()) {
        kill(process);
      }
      deleteQuietly(out);
    }
  }

  /** Kills the descendants first: once the parent is gone they can no longer be found. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("event=nvidia_smi_tempfile_not_deleted file={}", file, e);
    }
  }
}
