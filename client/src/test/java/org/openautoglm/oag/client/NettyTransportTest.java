package org.openautoglm.oag.client;

import org.openautoglm.oag.client.testing.FakeCoordinator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.client.testing.FakeCoordinator.Failure;

/** The same classification over real TCP, where trailers-only answers and refused connects differ. */
class NettyTransportTest extends ClientTestSupport {

  @Test
  void aServerSentUnavailableIsNotMistakenForALostWrite() throws Exception {
    FakeCoordinator server = FakeCoordinator.overTcp()
        .thenFail(Failure.of(Status.UNAVAILABLE.withDescription("not leader")))
        .alwaysFail(Failure.of(Status.UNAVAILABLE.withDescription("no leader")));
    closeables.add(server);
    CoordinatorClient client = client(ClientConfig.builder(server.name)
        .retryBudget(Duration.ofSeconds(3)));

    assertThrows(UnavailableException.class, () -> client.submit(TaskSpec.command("true")));
  }

  @Test
  void aRefusedConnectionIsUnavailableAndAnAnswerComesThrough() throws Exception {
    int freePort;
    try (ServerSocket s = new ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    FakeCoordinator server = FakeCoordinator.overTcp();
    closeables.add(server);
    CoordinatorClient down = client(ClientConfig.builder("127.0.0.1:" + freePort)
        .retryBudget(Duration.ofSeconds(2)));
    assertThrows(UnavailableException.class, () -> down.submit(TaskSpec.command("true")));

    CoordinatorClient up = client(ClientConfig.builder("127.0.0.1:" + freePort + "," + server.name)
        .clientId("cli:test"));
    assertEquals("t1", up.submit(TaskSpec.command("true")).getId());
    assertEquals("cli:test", server.metas.get(0).getClientId());
  }
}
