package org.openautoglm.oag.client;

import org.openautoglm.oag.client.testing.FakeCoordinator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;

class LeaderFollowingTest extends ClientTestSupport {

  @Test
  void followsTheLeaderHintAtOnceAndSticksToTheLeader() throws Exception {
    FakeCoordinator follower = fake("n1").follower("c2", addr("n2"));
    FakeCoordinator leader = fake("n2");
    // n2 is not even configured: the hint alone leads there.
    CoordinatorClient client = client(config("n1", "n3"));

    Task t = client.submit(TaskSpec.command("sleep", "100"));
    Task again = client.get(t.getId());

    assertEquals(TaskState.PENDING, t.getState());
    assertEquals(t.getId(), again.getId());
    assertEquals(1, follower.calls(), "the second call went straight to the leader");
    assertEquals(2, leader.calls());
    assertTrue(ticker.sleeps.isEmpty(), "a hint is followed without backoff: " + ticker.sleeps);
  }

  @Test
  void withoutAHintTriesTheNextAddressAfterABackoff() throws Exception {
    FakeCoordinator follower = fake("n1").follower(null, null);
    FakeCoordinator leader = fake("n2");
    CoordinatorClient client = client(config("n1", "n2"));

    client.submit(TaskSpec.command("true"));

    assertEquals(1, follower.calls());
    assertEquals(1, leader.calls());
    assertEquals(1, ticker.sleeps.size());
  }

  @Test
  void nodesPointingAtEachOtherDoNotSpinWithoutBackoff() throws Exception {
    fake("n1").follower("c2", addr("n2"));
    fake("n2").follower("c1", addr("n1"));
    CoordinatorClient client = client(config("n1", "n2"));

    UnavailableException e = assertThrows(UnavailableException.class,
        () -> client.submit(TaskSpec.command("true")));

    assertInstanceOf(NotLeaderException.class, e.getCause());
    assertTrue(ticker.sleeps.size() > 3, "backed off between rounds of hints");
  }

  @Test
  void anUnreachableFirstAddressIsSkipped() throws Exception {
    FakeCoordinator leader = fake("n2");
    CoordinatorClient client = client(config("down", "n2"));

    client.create(TaskSpec.command("true"));

    assertEquals(1, leader.calls());
  }

  @Test
  void aHintNamingADeadMemberIsNotFollowedAndTheWaitStaysShort() throws Exception {
    // The followers still name the crashed leader ("down"); n3 has just been elected.
    FakeCoordinator follower = fake("n2").follower("c1", addr("down"));
    FakeCoordinator leader = fake("n3");
    CoordinatorClient client = client(config("down", "n2", "n3"));

    client.submit(TaskSpec.command("true"));

    assertEquals(1, follower.calls());
    assertEquals(1, leader.calls(), "reached the new leader without going back to the dead one");
    assertTrue(ticker.sleeps.stream().allMatch(d -> d.toMillis() <= 100),
        "waits while no leader is reachable stay at or under 100 ms: " + ticker.sleeps);
  }

  @Test
  void listNodesIsAnsweredByTheLeaderFoundThroughTheHint() throws Exception {
    FakeCoordinator follower = fake("n1").follower("c2", addr("n2"));
    FakeCoordinator leader = fake("n2");
    leader.putNode(Node.newBuilder().setId("w1").setState(NodeState.NODE_UP).build());
    leader.putNode(Node.newBuilder().setId("w2").setState(NodeState.NODE_DOWN).build());
    CoordinatorClient client = client(config("n1"));

    List<Node> nodes = client.listNodes();

    assertEquals(List.of("w1", "w2"), nodes.stream().map(Node::getId).toList());
    assertEquals(NodeState.NODE_DOWN, nodes.get(1).getState());
    assertEquals(1, follower.calls());
    assertTrue(ticker.sleeps.isEmpty(), "a hint is followed without backoff: " + ticker.sleeps);
  }
}
