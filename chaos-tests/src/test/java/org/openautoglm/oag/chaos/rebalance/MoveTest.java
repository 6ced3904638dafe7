package org.openautoglm.oag.chaos.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.Event;

class MoveTest {
  private static Event event(long index, String type, String task, String node, String message) {
    return Event.newBuilder().setIndex(index).setTimeMs(1000 * index).setType(type).setTaskId(task).setNode(node)
        .setMessage(message).build();
  }

  @Test
  void pairsEachRebalanceMigrationWithItsEndAndLeavesOtherReasonsOut() {
    List<Move> moves = Move.of(List.of(
        event(1, "task.migrating", "t1", "a1", "migrating off a1 (rebalance): this instance stops first"),
        event(2, "task.migrating", "t2", "a1", "migrating off a1 (drain): this instance stops first"),
        event(3, "task.migrating", "t3", "a1", "migrating off a1 (rebalance): the new instance starts first"),
        event(4, "task.migrated", "t1", "a2", "moved off a1 to a2 (rebalance)"),
        event(5, "task.migrated", "t2", "a2", "moved off a1 to a2 (drain)")));

    assertThat(moves).containsExactly(new Move("t1", "a1", "a2", 1, 1000, 4000), new Move("t3", "a1", "", 3, 3000, 0));
    assertThat(moves.get(1)).hasToString("t3 a1->? (under way)");
  }
}
