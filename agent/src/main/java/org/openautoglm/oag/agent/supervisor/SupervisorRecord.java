package org.openautoglm.oag.agent.supervisor;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor.Status;

/**
 * What a supervisor persists in its {@link AllocationDir} beside the allocation, so that a
 * restarted agent re-adopts it as it was: {@code supervision.properties} (the restart policy
 * and thresholds, written at start) and {@code status.properties} (the last status, written
 * on every launch and when the allocation ends: the restart count survives, and an allocation
 * that ended stays ended). Replaced atomically like the other records. Stateless.
 */
final class SupervisorRecord {
  static final String SUPERVISION = "supervision.properties";
  static final String STATUS = "status.properties";

  /** The policy and thresholds an allocation was started with. */
  record Supervision(RestartPolicy policy, Thresholds thresholds) {}

  private SupervisorRecord() {}

  static void writeSupervision(AllocationDir dir, RestartPolicy policy, Thresholds t)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("restart.mode", policy.mode().name());
    p.setProperty("restart.initialBackoff", policy.initialBackoff().toString());
    p.setProperty("restart.maxBackoff", policy.maxBackoff().toString());
    p.setProperty("restart.stableAfter", policy.stableAfter().toString());
    p.setProperty("restart.budget", Integer.toString(policy.budget()));
    p.setProperty("restart.budgetWindow", policy.budgetWindow().toString());
    p.setProperty("limit.memoryMiB", Long.toString(t.maxMemoryMiB()));
    p.setProperty("limit.cpuPercent", Double.toString(t.maxCpuPercent()));
    p.setProperty("limit.cpuFor", t.cpuFor().toString());
    p.setProperty("limit.runtime", t.maxRuntime().toString());
    p.setProperty("limit.action", t.action().name());
    AllocationDir.writeAtomically(dir.path().resolve(SUPERVISION), text(p));
  }

  /** The persisted policy and thresholds, or empty when there are none (or they are corrupt). */
  static Optional<Supervision> readSupervision(AllocationDir dir) {
    return read(dir, SUPERVISION).flatMap(p -> {
      try {
        return Optional.of(new Supervision(
            new RestartPolicy(RestartPolicy.Mode.valueOf(p.getProperty("restart.mode")),
                Duration.parse(p.getProperty("restart.initialBackoff")),
                Duration.parse(p.getProperty("restart.maxBackoff")),
                Duration.parse(p.getProperty("restart.stableAfter")),
                Integer.parseInt(p.getProperty("restart.budget")),
                Duration.parse(p.getProperty("restart.budgetWindow"))),
            new Thresholds(Long.parseLong(p.getProperty("limit.memoryMiB")),
                Double.parseDouble(p.getProperty("limit.cpuPercent")),
                Duration.parse(p.getProperty("limit.cpuFor")),
                Duration.parse(p.getProperty("limit.runtime")),
                Thresholds.Action.valueOf(p.getProperty("limit.action")))));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  static void writeStatus(AllocationDir dir, Status s) throws IOException {
    Properties p = new Properties();
    p.setProperty("state", s.state().name());
    p.setProperty("pid", Long.toString(s.pid()));
    if (s.exitCode() != null) {
      p.setProperty("exitCode", Integer.toString(s.exitCode()));
    }
    p.setProperty("restarts", Integer.toString(s.restarts()));
    p.setProperty("reason", s.reason());
    AllocationDir.writeAtomically(dir.path().resolve(STATUS), text(p));
  }

  /** The last status written, or empty when none was (or it is corrupt). */
  static Optional<Status> readStatus(AllocationDir dir) {
    return read(dir, STATUS).flatMap(p -> {
      try {
        String exit = p.getProperty("exitCode");
        return Optional.of(new Status(AllocationState.valueOf(p.getProperty("state")),
            Long.parseLong(p.getProperty("pid")), exit == null ? null : Integer.valueOf(exit),
            Integer.parseInt(p.getProperty("restarts")), p.getProperty("reason", "")));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  private static Optional<Properties> read(AllocationDir dir, String name) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(dir.path().resolve(name), StandardCharsets.UTF_8)));
      return Optional.of(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String text(Properties p) {
    StringWriter out = new StringWriter();
    try {
      p.store(out, "oag supervisor");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
