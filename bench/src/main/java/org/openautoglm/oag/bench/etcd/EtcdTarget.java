package org.openautoglm.oag.bench.etcd;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openautoglm.oag.bench.BenchTarget;
import org.openautoglm.oag.bench.ClusterHealth;
import org.openautoglm.oag.bench.etcd.v3.Member;
import org.openautoglm.oag.bench.etcd.v3.StatusResponse;

/**
 * etcd (v3.4, native gRPC API) as a {@link BenchTarget}, so the load generator and the
 * failover probe time it with the same code as the coordinator.
 *
 * <p>A write is one {@code KV.Put} of the key's UTF-8 bytes with the payload's UTF-8 bytes as
 * the value (256 alphanumerics by default, so 256 bytes), sent to the leader; each writer is
 * its own {@link EtcdWriter} with its own channels and leader cache, as each coordinator
 * writer is its own client. See {@link EtcdWriter} for retries.
 *
 * <p>Health asks every endpoint's {@code Maintenance.Status} in parallel (each within
 * {@link EtcdConfig#healthDeadline()}) and one answering member's {@code
 * Cluster.MemberList}, and maps them with {@link EtcdHealth}: member ids are etcd member
 * names, the applied index is etcd's raft applied index. It throws {@link
 * EtcdUnavailableException} when no endpoint answers. Thread-safe.
 */
public final class EtcdTarget implements BenchTarget {
  private final EtcdConfig config;
  private final EtcdChannels health;

  public EtcdTarget(EtcdConfig config) {
    this.config = config;
    this.health = new EtcdChannels(config);
  }

  @Override
  public Writer openWriter(String name) {
    return new EtcdWriter(name, config);
  }

  @Override
  public ClusterHealth health() {
    long deadline = config.healthDeadline().toNanos();
    Map<String, CompletableFuture<StatusResponse>> calls = new LinkedHashMap<>();
    for (String e : health.endpoints()) {
      calls.put(e, health.statusAsync(e, deadline));
    }
    List<StatusResponse> answers = new ArrayList<>();
    List<String> answered = new ArrayList<>();
    String why = "no answer";
    for (Map.Entry<String, CompletableFuture<StatusResponse>> c : calls.entrySet()) {
      try {
        // gRPC enforces the deadline; the extra second only guards against a lost callback.
        answers.add(c.getValue().get(deadline + TimeUnit.SECONDS.toNanos(1),
            TimeUnit.NANOSECONDS));
        answered.add(c.getKey());
      } catch (ExecutionException | TimeoutException x) {
        why = c.getKey() + ": " + describe(x);
        if (Status.fromThrowable(x).getCode() == Status.Code.UNAVAILABLE) {
          health.reconnectSoon(c.getKey()); // a killed member may be back by the next look
        }
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
        throw new EtcdUnavailableException(Status.Code.CANCELLED, "interrupted", x);
      }
    }
    for (String e : answered) {
      try {
        List<Member> members = health.memberList(e, deadline).getMembersList();
        return EtcdHealth.of(answers, members);
      } catch (StatusRuntimeException x) {
        why = e + ": " + EtcdErrors.describe(x.getStatus());
      }
    }
    throw new EtcdUnavailableException(Status.Code.UNAVAILABLE, "no etcd member answered "
        + "(endpoints " + String.join(",", health.endpoints()) + "); last: " + why, null);
  }

  private static String describe(Exception x) {
    Throwable cause = x instanceof ExecutionException && x.getCause() != null ? x.getCause() : x;
    return cause instanceof StatusRuntimeException sre ? EtcdErrors.describe(sre.getStatus())
        : "no answer in time";
  }

  @Override
  public void close() {
    health.close();
  }
}
