package org.openautoglm.oag.chaos.check;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.chaos.cluster.Conditions;

/**
 * The liveness promise after the faults: every task a client still wants (desired running or
 * paused) is running, or paused as asked, within a bound of the last heal. The chaos
 * workloads' tasks are small enough to fit the cluster many times over, so a task left
 * pending, scheduled or lost past the bound is a failure, not a full cluster.
 */
public final class LivenessCheck {

  /** What the wait found. */
  public record Result(boolean live, long waitedMs, List<String> notLive) {
    public Result {
      notLive = List.copyOf(notLive);
    }

    public String summary() {
      return live ? "every wanted task live after " + waitedMs + " ms"
          : notLive.size() + " wanted tasks not live after " + waitedMs + " ms: "
              + String.join(", ", notLive.stream().limit(20).toList());
    }
  }

  private LivenessCheck() {}

  /** The tasks that are not where their desired state says, as {@code "id STATE (wants X)"}. */
  public static List<String> notLive(List<Task> tasks) {
    return tasks.stream().filter(t -> !live(t))
        .map(t -> t.getId() + " " + t.getState() + " (wants " + t.getDesired() + ")").toList();
  }

  /**
   * Polls {@code read} (every task, read linearizably) until every wanted task is live or
   * {@code bound} passes; a read that fails counts as not yet live.
   */
  public static Result await(Supplier<List<Task>> read, Duration bound) {
    long start = System.nanoTime();
    List<String>[] last = new List[] {List.of("no read answered")};
    try {
      Conditions.await(bound, "every wanted task live", () -> {
        try {
          last[0] = notLive(read.get());
        } catch (RuntimeException e) {
          last[0] = List.of("read failed: " + e.getMessage());
        }
        return last[0].isEmpty() ? Optional.of(true) : Optional.empty();
      }, () -> String.join("\n", last[0]));
    } catch (TimeoutException e) {
      return new Result(false, elapsedMs(start), last[0]);
    }
    return new Result(true, elapsedMs(start), List.of());
  }

  private static boolean live(Task t) {
    return switch (t.getDesired()) {
      case DESIRED_STOPPED -> true;
      case DESIRED_PAUSED -> t.getState() == TaskState.PAUSED;
      default -> t.getState() == TaskState.RUNNING;
    };
  }

  private static long elapsedMs(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
