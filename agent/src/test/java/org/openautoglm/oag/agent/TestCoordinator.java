package org.openautoglm.oag.agent;

import io.grpc.Context;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.openautoglm.oag.agent.v1.AgentMessage;
import org.openautoglm.oag.agent.v1.AgentServiceGrpc;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.CoordinatorMessage;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.HeartbeatAck;
import org.openautoglm.oag.agent.v1.Hello;
import org.openautoglm.oag.agent.v1.LogData;
import org.openautoglm.oag.agent.v1.LogRequest;
import org.openautoglm.oag.agent.v1.RegisterReply;
import org.openautoglm.oag.agent.v1.RegisterRequest;

/**
 * A coordinator for agent tests: a real gRPC server on 127.0.0.1 that implements AgentService
 * the way the contract says a leader does, records everything the agent sends, and lets the
 * test send desired sets, acks and log requests with any term, refuse calls, or die.
 */
final class TestCoordinator implements AutoCloseable {
  /** A heartbeat and when it arrived on this JVM's monotonic clock. */
  record Received(Heartbeat heartbeat, long atNanos) {}

  volatile long term = 1;
  volatile long leaseMs = 3000;
  volatile boolean autoAck = true;
  /** What a Hello is answered with. */
  volatile DesiredSet desiredOnHello = DesiredSet.getDefaultInstance();
  volatile Status refuseRegister;
  volatile Status refuseSession;
  /** Registers are left unanswered (until the agent's deadline cancels them), as by a cut link. */
  volatile boolean holdRegister;
  /** Registers being held now. */
  final AtomicInteger openRegisters = new AtomicInteger();
  /** Called as each register arrives; what it returns is kept in {@link #registerSeen}. */
  volatile IntSupplier onRegister = () -> 0;
  final List<Integer> registerSeen = new CopyOnWriteArrayList<>();

  final List<RegisterRequest> registers = new CopyOnWriteArrayList<>();
  final List<Hello> hellos = new CopyOnWriteArrayList<>();
  final List<Received> heartbeats = new CopyOnWriteArrayList<>();
  final List<LogData> logData = new CopyOnWriteArrayList<>();
  final List<String> sessionEnds = new CopyOnWriteArrayList<>();

  private final Server server;
  private volatile StreamObserver<CoordinatorMessage> toAgent;

  private TestCoordinator() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new Endpoint())
        .build()
        .start();
  }

  static TestCoordinator start() throws IOException {
    return new TestCoordinator();
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Sends {@code body} with {@code term} on the latest session. */
  void send(long term, CoordinatorMessage.Builder body) {
    StreamObserver<CoordinatorMessage> out = toAgent;
    if (out == null) {
      throw new IllegalStateException("no session");
    }
    synchronized (out) {
      out.onNext(body.setTerm(term).build());
    }
  }

  void sendDesired(long term, long version, DesiredAllocation... allocations) {
    send(term, CoordinatorMessage.newBuilder().setDesiredSet(set(version, allocations)));
  }

  void sendLogRequest(LogRequest.Builder request) {
    send(term, CoordinatorMessage.newBuilder().setLogRequest(request));
  }

  void ack(long term, long seq, long leaseMs) {
    send(term, CoordinatorMessage.newBuilder().setAck(HeartbeatAck.newBuilder().setSeq(seq)
        .setLeaseMs(leaseMs)));
  }

  static DesiredSet set(long version, DesiredAllocation... allocations) {
    return DesiredSet.newBuilder().setVersion(version).addAllAllocations(List.of(allocations)).build();
  }

  /** The allocation's status in the latest heartbeat that names it. */
  Optional<AllocationStatus> latest(String allocationId) {
    List<Received> all = new ArrayList<>(heartbeats);
    for (int i = all.size() - 1; i >= 0; i--) {
      for (AllocationStatus s : all.get(i).heartbeat().getAllocationsList()) {
        if (s.getAllocationId().equals(allocationId)) {
          return Optional.of(s);
        }
      }
    }
    return Optional.empty();
  }

  /** The latest heartbeat, if any. */
  Optional<Heartbeat> lastHeartbeat() {
    List<Received> all = new ArrayList<>(heartbeats);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).heartbeat());
  }

  /** Log data answering {@code requestId}, in order. */
  List<LogData> logs(long requestId) {
    return logData.stream().filter(d -> d.getRequestId() == requestId).toList();
  }

  String logText(long requestId) {
    StringBuilder s = new StringBuilder();
    logs(requestId).forEach(d -> s.append(d.getData().toStringUtf8()));
    return s.toString();
  }

  /** Dies like a crashed leader: every connection dropped, nothing answered. */
  void kill() {
    server.shutdownNow();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private final class Endpoint extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterReply> reply) {
      if (holdRegister) {
        openRegisters.incrementAndGet();
        Context.current().addListener(cancelled -> openRegisters.decrementAndGet(), Runnable::run);
        registers.add(request);
        return;
      }
      registers.add(request);
      registerSeen.add(onRegister.getAsInt());
      Status refuse = refuseRegister;
      if (refuse != null) {
        reply.onError(refuse.asRuntimeException());
        return;
      }
      reply.onNext(RegisterReply.newBuilder().setTerm(term).setLeaseMs(leaseMs).build());
      reply.onCompleted();
    }

    @Override
    public StreamObserver<AgentMessage> session(StreamObserver<CoordinatorMessage> out) {
      Status refuse = refuseSession;
      if (refuse != null) {
        out.onError(refuse.asRuntimeException());
        return new StreamObserver<>() {
          @Override
          public void onNext(AgentMessage value) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        };
      }
      toAgent = out;
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage m) {
          switch (m.getBodyCase()) {
            case HELLO -> {
              hellos.add(m.getHello());
              synchronized (out) {
                out.onNext(CoordinatorMessage.newBuilder().setTerm(term)
                    .setDesiredSet(desiredOnHello).build());
              }
            }
            case HEARTBEAT -> {
              heartbeats.add(new Received(m.getHeartbeat(), System.nanoTime()));
              if (autoAck) {
                synchronized (out) {
                  out.onNext(CoordinatorMessage.newBuilder().setTerm(term)
                      .setAck(HeartbeatAck.newBuilder().setSeq(m.getHeartbeat().getSeq())
                          .setLeaseMs(leaseMs)).build());
                }
              }
            }
            case LOG_DATA -> logData.add(m.getLogData());
            default -> { }
          }
        }

        @Override
        public void onError(Throwable t) {
          sessionEnds.add("error: " + Status.fromThrowable(t).getCode());
        }

        @Override
        public void onCompleted() {
          sessionEnds.add("completed");
          synchronized (out) {
            out.onCompleted();
          }
        }
      };
    }
  }
}
