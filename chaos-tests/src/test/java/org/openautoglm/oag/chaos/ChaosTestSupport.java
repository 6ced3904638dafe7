package org.openautoglm.oag.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.Convergence;
import org.openautoglm.oag.chaos.net.NetworkLab;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskSpec;

/** Shared by the chaos tests: where a test's cluster keeps its data, and a client for it. */
public final class ChaosTestSupport {
  /** The bound of every wait on a cluster in these tests (two cores, several JVMs). */
  public static final Duration WITHIN = Duration.ofSeconds(60);

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

  /** Submits {@code n} tasks named {@code name}, adding each acknowledged task's id to {@code acknowledged}. */
  public static void write(CoordinatorClient client, String name, int n, Collection<String> acknowledged) {
    for (int i = 0; i < n; i++) {
      acknowledged.add(client.submit(TaskSpec.command("true").name(name)).getId());
    }
  }

  /**
   * Waits until every node answers and agrees on a leader and all reach the same applied
   * index, then checks their digests are equal there and every acknowledged task is readable.
   */
  public static void assertConvergedWithEverythingAcknowledged(ChaosCluster cluster,
      CoordinatorClient client, Collection<String> acknowledged) throws Exception {
    cluster.awaitReady(WITHIN);
    Convergence c = cluster.awaitConverged(WITHIN);
    assertThat(c.sameDigest()).as("digests at applied index %d: %s", c.appliedIndex(), c.digests()).isTrue();
    for (String id : acknowledged) {
      assertThat(client.get(id).getId()).isEqualTo(id);
    }
  }

  /** Closes each of {@code resources} that is not null, in order, even when one fails. */
  public static void closeAll(AutoCloseable... resources) throws Exception {
    Exception first = null;
    for (AutoCloseable r : resources) {
      try {
        if (r != null) {
          r.close();
        }
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A client that gives up quickly, so a test sees failures instead of long retries. */
  public static CoordinatorClient client(String addresses) {
    return CoordinatorClient.connect(ClientConfig.builder(addresses)
        .deadline(Duration.ofSeconds(2)).retryBudget(Duration.ofSeconds(15))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build());
  }
}
