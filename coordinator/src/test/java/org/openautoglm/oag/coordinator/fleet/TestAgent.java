package org.openautoglm.oag.coordinator.fleet;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openautoglm.oag.agent.v1.AgentMessage;
import org.openautoglm.oag.agent.v1.AgentServiceGrpc;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.Capacity;
import org.openautoglm.oag.agent.v1.CoordinatorMessage;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.Hello;
import org.openautoglm.oag.agent.v1.RegisterReply;
import org.openautoglm.oag.agent.v1.RegisterRequest;

/**
 * A scripted agent for coordinator tests: speaks the real protocol over real gRPC, but runs
 * nothing; the test says what it observes. Records everything the coordinator sends. While
 * connected it repeats its last heartbeat every {@link #KEEPALIVE_MS} ms, as a real agent
 * does, so the failover controller does not take it for dead.
 */
final class TestAgent implements AutoCloseable {
  final String node;
  final String bootId;
  final List<CoordinatorMessage> received = new CopyOnWriteArrayList<>();
  final AtomicReference<Status> ended = new AtomicReference<>();
  static final long KEEPALIVE_MS = 250;
  private final AtomicLong seq = new AtomicLong();
  private StreamObserver<AgentMessage> up;
  private List<AllocationStatus> lastReported = List.of();
  private volatile boolean silent;
  private final ScheduledExecutorService keepalive = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-agent-keepalive");
    t.setDaemon(true);
    return t;
  });

  TestAgent(String node, String bootId) {
    this.node = node;
    this.bootId = bootId;
  }

  RegisterReply register(ManagedChannel channel, int cpuMillis, long memoryMib) {
    return register(channel, cpuMillis, memoryMib, java.util.Map.of());
  }

  RegisterReply register(ManagedChannel channel, int cpuMillis, long memoryMib,
      java.util.Map<String, String> labels) {
    return AgentServiceGrpc.newBlockingStub(channel).register(RegisterRequest.newBuilder()
        .setNodeId(node).setBootId(bootId).setAddress("127.0.0.1")
        .setCapacity(Capacity.newBuilder().setCpuMillis(cpuMillis).setMemoryMib(memoryMib))
        .putAllLabels(labels)
        .build());
  }

  /** Opens a session and says hello with {@code inventory}. */
  void connect(ManagedChannel channel, List<AllocationStatus> inventory) {
    ended.set(null);
    up = AgentServiceGrpc.newStub(channel).session(new StreamObserver<>() {
      @Override
      public void onNext(CoordinatorMessage m) {
        received.add(m);
      }

      @Override
      public void onError(Throwable t) {
        ended.set(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        ended.set(Status.OK);
      }
    });
    synchronized (this) {
      lastReported = List.copyOf(inventory);
      up.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder()
          .setNodeId(node).setBootId(bootId).addAllInventory(inventory)).build());
    }
    keepalive.scheduleWithFixedDelay(this::repeat, KEEPALIVE_MS, KEEPALIVE_MS, TimeUnit.MILLISECONDS);
  }

  /** Stops the heartbeats (a frozen or cut-off agent); the stream stays open. */
  void silence() {
    silent = true;
  }

  private synchronized void repeat() {
    if (up != null && ended.get() == null && !silent) {
      try {
        heartbeat(lastReported);
      } catch (RuntimeException e) {
        // the stream just ended
      }
    }
  }

  synchronized long heartbeat(List<AllocationStatus> allocations) {
    lastReported = List.copyOf(allocations);
    long s = seq.incrementAndGet();
    up.onNext(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
        .setSeq(s).setSentAtMs(System.currentTimeMillis()).addAllAllocations(allocations)).build());
    return s;
  }

  synchronized void send(AgentMessage message) {
    up.onNext(message);
  }

  /** The newest desired set received, or null. */
  DesiredSet latestDesiredSet() {
    DesiredSet latest = null;
    for (CoordinatorMessage m : received) {
      if (m.hasDesiredSet()) {
        latest = m.getDesiredSet();
      }
    }
    return latest;
  }

  boolean acked(long seq) {
    return received.stream().anyMatch(m -> m.hasAck() && m.getAck().getSeq() == seq);
  }

  @Override
  public synchronized void close() {
    keepalive.shutdownNow();
    if (up != null && ended.get() == null) {
      try {
        up.onCompleted();
      } catch (RuntimeException e) {
        // already gone
      }
    }
  }
}
