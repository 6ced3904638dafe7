package org.openautoglm.oag.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.DrainItem;
import org.openautoglm.oag.api.v1.DrainNodeRequest;
import org.openautoglm.oag.api.v1.DrainStatusReply;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.client.testing.FakeCoordinator;

class DrainTest extends ClientTestSupport {

  @Test
  void drainSendsTheDeadlineFromNowAndCancelSendsNone() throws Exception {
    FakeCoordinator c1 = fake("c1");
    c1.putNode(Node.newBuilder().setId("w1").build());
    CoordinatorClient client = client(config("c1"));

    Node draining = client.drain("w1", Duration.ofSeconds(90));
    Node forever = client.drain("w1", null);
    Node cancelled = client.cancelDrain("w1");

    assertTrue(draining.getDraining());
    assertEquals(DrainNodeRequest.newBuilder().setNodeId("w1").setDeadlineMs(90_000).build(), c1.requests.get(0));
    assertEquals(0, ((DrainNodeRequest) c1.requests.get(1)).getDeadlineMs());
    assertTrue(forever.getDraining());
    assertEquals(DrainNodeRequest.newBuilder().setNodeId("w1").setCancel(true).build(), c1.requests.get(2));
    assertFalse(cancelled.getDraining());
  }

  @Test
  void drainStatusComesBackAsTheServerSentIt() throws Exception {
    FakeCoordinator c1 = fake("c1");
    DrainStatusReply status = DrainStatusReply.newBuilder().setNodeId("w1").setDraining(true).setMigrated(2)
        .addRemaining(DrainItem.newBuilder().setTaskId("t1").setWaitingFor("its migration to begin")).build();
    c1.putDrainStatus(status);

    assertEquals(status, client(config("c1")).drainStatus("w1"));
  }

  @Test
  void anUnknownNodeIsNotFoundAndBadInputNeverLeaves() throws Exception {
    FakeCoordinator c1 = fake("c1");
    CoordinatorClient client = client(config("c1"));

    assertThrows(NotFoundException.class, () -> client.drain("w9", Duration.ZERO));
    assertThrows(NotFoundException.class, () -> client.drainStatus("w9"));
    assertThrows(IllegalArgumentException.class, () -> client.drain("", Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> client.drain("w1", Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> client.cancelDrain(" "));
    assertEquals(2, c1.calls());
  }
}
