package org.openautoglm.oag.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openautoglm.oag.chaos.net.NetworkLab;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;

/** Shared by the chaos tests: where a test's cluster keeps its data, and a client for it. */
public final class ChaosTestSupport {
  private ChaosTestSupport() {}

  /** A fresh directory under target/chaos for one test class's cluster (kept for inspection). */
  public static Path workDir(Class<?> test) {
    Path dir = Path.of("target", "chaos", test.getSimpleName() + "-" + System.currentTimeMillis());
    try {
      return Files.createDirectories(dir).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Namespaces when this machine allows them (closer to real hosts), else loopback. */
  public static boolean namespacesAvailable() {
    NetworkLab.unavailable().ifPresent(reason ->
        System.out.println("chaos: network namespaces unavailable (" + reason + "); using 127.0.0.1"));
    return NetworkLab.unavailable().isEmpty();
  }

  /** A client that gives up quickly, so a test sees failures instead of long retries. */
  public static CoordinatorClient client(String addresses) {
    return CoordinatorClient.connect(ClientConfig.builder(addresses)
        .deadline(Duration.ofSeconds(2)).retryBudget(Duration.ofSeconds(15))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build());
  }
}
