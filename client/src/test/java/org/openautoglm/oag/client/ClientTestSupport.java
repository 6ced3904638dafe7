package org.openautoglm.oag.client;

import org.openautoglm.oag.client.testing.FakeCoordinator;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Starts named fake coordinators and clients wired to them in-process. */
abstract class ClientTestSupport {
  final List<AutoCloseable> closeables = new ArrayList<>();
  final FakeTicker ticker = new FakeTicker();
  final String prefix = "fake-" + UUID.randomUUID() + "-";

  /** Address of a fake; in-process servers are found by this name. */
  String addr(String node) {
    return prefix + node + ":1";
  }

  FakeCoordinator fake(String node) throws Exception {
    FakeCoordinator f = new FakeCoordinator(addr(node));
    closeables.add(f);
    return f;
  }

  ClientConfig.Builder config(String... nodes) {
    List<String> addresses = new ArrayList<>();
    for (String n : nodes) {
      addresses.add(addr(n));
    }
    return ClientConfig.builder(addresses)
        .clientId("test-client")
        .deadline(Duration.ofSeconds(5))
        .retryBudget(Duration.ofSeconds(30))
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
        .channelFactory(a -> InProcessChannelBuilder.forName(a).directExecutor().build());
  }

  CoordinatorClient client(ClientConfig.Builder b) {
    CoordinatorClient c = new GrpcCoordinatorClient(b.build(), ticker);
    closeables.add(c);
    return c;
  }

  @org.junit.jupiter.api.AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }
}
