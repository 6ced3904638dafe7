package org.openautoglm.oag.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.GetRebalanceSettingsRequest;
import org.openautoglm.oag.api.v1.RebalanceSettings;
import org.openautoglm.oag.client.testing.FakeCoordinator;
import org.openautoglm.oag.client.testing.FakeCoordinator.Failure;

class RebalanceSettingsTest extends ClientTestSupport {

  @Test
  void theSettingsInForceComeBackAndASetSendsThemAsGiven() throws Exception {
    FakeCoordinator c1 = fake("c1");
    CoordinatorClient client = client(config("c1"));
    RebalanceSettings wanted = RebalanceSettings.newBuilder().setThresholdPercent(35).setDisabled(true).build();

    RebalanceSettings before = client.rebalanceSettings();
    RebalanceSettings after = client.setRebalanceSettings(wanted);

    assertEquals(20, before.getThresholdPercent());
    assertEquals(3, before.getMaxMoves());
    assertEquals(GetRebalanceSettingsRequest.getDefaultInstance(), c1.requests.get(0));
    assertEquals(wanted, c1.requests.get(1));
    assertEquals(before.toBuilder().setThresholdPercent(35).setDisabled(true).build(), after);
    assertEquals(after, client.rebalanceSettings());
  }

  @Test
  void aValueOutOfRangeIsInvalidArgumentNamingTheField() throws Exception {
    fake("c1");
    CoordinatorClient client = client(config("c1"));

    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> client.setRebalanceSettings(RebalanceSettings.newBuilder().setThresholdPercent(101).build()));

    assertEquals("settings.threshold_percent", e.field());
    assertEquals(20, client.rebalanceSettings().getThresholdPercent());
    assertThrows(NullPointerException.class, () -> client.setRebalanceSettings(null));
  }

  @Test
  void aSetIsRetriedLikeARead() throws Exception {
    FakeCoordinator c1 = fake("c1").thenFail(Failure.of(Status.UNAVAILABLE.withDescription("restarting")));
    CoordinatorClient client = client(config("c1"));

    RebalanceSettings after = client.setRebalanceSettings(RebalanceSettings.newBuilder().setMaxMoves(9).build());

    assertEquals(9, after.getMaxMoves());
    assertEquals(2, c1.calls());
  }
}
