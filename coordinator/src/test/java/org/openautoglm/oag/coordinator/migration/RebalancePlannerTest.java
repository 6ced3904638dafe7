package org.openautoglm.oag.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.command.v1.Migration;
import org.openautoglm.oag.coordinator.migration.RebalancePlanner.NodeLoad;
import org.openautoglm.oag.coordinator.state.RebalanceSettings;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.MigrationRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

class RebalancePlannerTest {
  private static final RebalanceSettings SETTINGS = RebalanceSettings.DEFAULTS;
  private static final long NOW = 1_000_000;

  private static TaskRecord task(String id, boolean movable) {
    return TaskRecord.newBuilder().setId(id).setStatus(TaskStatus.RUNNING).setDesired(Desired.RUN).setVersion(3)
        .setSpec(TaskSpecRecord.newBuilder().setCpuMillis(1_000).setMemoryMib(1_024).setMovable(movable))
        .build();
  }

  /** A node of 8 cores and 8 GiB running {@code tasks} (1 core, 1 GiB each). */
  private static NodeLoad node(String id, List<TaskRecord> tasks) {
    return new NodeLoad(id, 8_000, 8_192, 1_000L * tasks.size(), 1_024L * tasks.size(), -1, tasks);
  }

  private static List<TaskRecord> tasks(String prefix, int n, boolean movable) {
    List<TaskRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(task(prefix + i, movable));
    }
    return out;
  }

  @Test
  void movesFromTheBusiestToTheLeastBusyUpToTheBudget() {
    List<Migration> plan = RebalancePlanner.plan(List.of(node("a", tasks("t", 8, true)), node("b", List.of()),
        node("c", List.of())), SETTINGS, NOW);

    assertThat(plan).hasSize(SETTINGS.maxMoves());
    assertThat(plan).allSatisfy(m -> {
      assertThat(m.getReason()).isEqualTo("rebalance");
      assertThat(m.getExpectedVersion()).isEqualTo(3);
    });
    // Each move goes to whichever node is least busy after the moves before it.
    assertThat(plan).extracting(Migration::getToNode).containsExactly("c", "b", "c");
  }

  @Test
  void aSpreadWithinTheThresholdMovesNothingSoABalancedClusterStaysPut() {
    // 3 of 8 against 2 of 8: 12.5 points apart, under the 20-point threshold.
    assertThat(RebalancePlanner.plan(List.of(node("a", tasks("t", 3, true)), node("b", tasks("u", 2, true))),
        SETTINGS, NOW)).isEmpty();
  }

  @Test
  void aMoveThatWouldNotBringTheTwoCloserIsNotMade() {
    // 2 of 8 against 0: moving one leaves 1 and 1, closer; moving a 4-core task would overshoot.
    TaskRecord big = task("big", true).toBuilder().setSpec(TaskSpecRecord.newBuilder().setCpuMillis(4_000)
        .setMemoryMib(4_096).setMovable(true)).build();
    NodeLoad a = new NodeLoad("a", 8_000, 8_192, 4_000, 4_096, -1, List.of(big));
    assertThat(RebalancePlanner.plan(List.of(a, node("b", List.of())), SETTINGS, NOW)).isEmpty();
  }

  @Test
  void onlyMovableRunningTasksOutsideTheCooldownMove() {
    TaskRecord recent = task("recent", true).toBuilder().setLastMigratedAtMs(NOW - 1_000).build();
    TaskRecord migrating = task("migrating", true).toBuilder().setMigration(MigrationRecord.newBuilder()
        .setFromNode("a")).build();
    TaskRecord pinned = task("pinned", false);
    TaskRecord stopping = task("stopping", true).toBuilder().setDesired(Desired.STOP).build();
    TaskRecord free = task("free", true);

    List<Migration> plan = RebalancePlanner.plan(List.of(
        node("a", List.of(recent, migrating, pinned, stopping, free)), node("b", List.of())), SETTINGS, NOW);

    assertThat(plan).extracting(Migration::getTaskId).containsExactly("free");
  }

  @Test
  void theHotterNodeGivesWhenSharesAreEqual() {
    NodeLoad hot = new NodeLoad("hot", 8_000, 8_192, 4_000, 4_096, 90, tasks("h", 4, true));
    NodeLoad cool = new NodeLoad("cool", 8_000, 8_192, 4_000, 4_096, 10, tasks("c", 4, true));
    NodeLoad empty = node("empty", List.of());

    List<Migration> plan = RebalancePlanner.plan(List.of(cool, hot, empty), new RebalanceSettings(20, 1, 5_000, 120_000, false), NOW);

    assertThat(plan).singleElement().satisfies(m -> assertThat(m.getTaskId()).startsWith("h"));
  }

  @Test
  void disabledMovesNothing() {
    RebalanceSettings off = new RebalanceSettings(20, 3, 5_000, 120_000, true);
    assertThat(RebalancePlanner.plan(List.of(node("a", tasks("t", 8, true)), node("b", List.of())), off, NOW))
        .isEmpty();
  }
}
