package org.openautoglm.oag.coordinator.api;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.api.v1.TaskServiceGrpc;
import org.openautoglm.oag.coordinator.Clock;
import org.openautoglm.oag.coordinator.CoordinatorConfig;
import org.openautoglm.oag.coordinator.fleet.FleetController;
import org.openautoglm.oag.coordinator.fleet.FleetView;
import org.openautoglm.oag.coordinator.peer.PeerClient;
import org.openautoglm.oag.coordinator.peer.PeerEndpoint;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.raft.RaftNode;

/**
 * The gRPC server of one coordinator: TaskService, ClusterService,
 * AgentService, PeerService, the standard health service and server reflection, with call
 * count and latency by method and outcome. Live liveness and metrics (node
 * heartbeats, process metrics) come from a {@link FleetView}, which on a
 * follower knows nothing.
 */
public final class ApiServer implements AutoCloseable {
  /** Requests above this are refused by gRPC with RESOURCE_EXHAUSTED before any parsing. */
  public static final int MAX_INBOUND_BYTES = 4 << 20;
  /**
   * Every stream's HTTP/2 receive window, fixed: gRPC's default grows each window by
   * bandwidth-delay probing (to 8 MiB), so one agent session of 10,000, or one client, could
   * make the leader buffer megabytes it has not read yet. A heartbeat with a hundred
   * allocations is about 10 KiB.
   */
  static final int FLOW_CONTROL_WINDOW_BYTES = 256 << 10;

  private static final Executor DIRECT = Runnable::run;

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  /** Peer status calls, which block on other members. */
  private final ExecutorService fanOut;
  /** Read bodies (view lookups, page assembly): never on Ratis's threads. */
  private final ExecutorService reads;
  private final ClusterEndpoint cluster;

  public ApiServer(CoordinatorConfig config, RaftNode raft, Proposer proposer, PeerClient peers,
      MeterRegistry meters, FleetController agents) throws IOException {
    FleetView fleet = agents.view();
    this.fanOut = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "oag-status-" + config.nodeId());
      t.setDaemon(true);
      return t;
    });
    this.reads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "oag-reads-" + config.nodeId());
      t.setDaemon(true);
      return t;
    });
    Duration deadline = config.requestDeadline();
    CallMetrics metrics = new CallMetrics(meters);
    this.cluster = new ClusterEndpoint(raft, proposer, deadline, Clock.SYSTEM, peers, config.clusterId(), fanOut, fleet);
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress(config.bindHost(), config.apiPort()))
        .maxInboundMessageSize(MAX_INBOUND_BYTES)
        .flowControlWindow(FLOW_CONTROL_WINDOW_BYTES)
        .callExecutor(ApiServer::callExecutor)
        .addService(ServerInterceptors.intercept(new TaskEndpoint(raft, proposer, deadline, reads, fleet, agents.logs()), metrics))
        .addService(ServerInterceptors.intercept(agents.endpoint(), metrics))
        .addService(ServerInterceptors.intercept(cluster, metrics))
        .addService(new PeerEndpoint(raft, config.clusterId(), config.dataDir().resolve("checkpoints")))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build()
        .start();
    health.setStatus("", ServingStatus.SERVING);
  }

  /**
   * TaskService calls run on the transport thread that received them: their handlers only
   * validate and hand the command to the proposer or a read barrier, replying from a
   * callback, so a hop to a pool thread (and its wake-up) for every callback of every call
   * would be pure cost: in a profile of the leader at 64 clients, waking pool threads for
   * those hops alone was about 5% of its CPU. Every other service (cluster status fans out
   * to peers, a checkpoint reads files) keeps the default pool.
   */
  private static Executor callExecutor(ServerCall<?, ?> call, Metadata headers) {
    return TaskServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())
        ? DIRECT : null;
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    cluster.close();
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    fanOut.shutdownNow();
    reads.shutdownNow();
  }

  /** Counts and times every call by method and final status code. */
  private static final class CallMetrics implements ServerInterceptor {
    private final MeterRegistry meters;
    /** One timer per (method, outcome), so a call records without building a meter id. */
    private final java.util.concurrent.ConcurrentMap<String, Timer> timers =
        new java.util.concurrent.ConcurrentHashMap<>();

    CallMetrics(MeterRegistry meters) {
      this.meters = meters;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      long start = System.nanoTime();
      String method = call.getMethodDescriptor().getBareMethodName();
      return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          String outcome = status.getCode().name();
          timers.computeIfAbsent(method + "/" + outcome, k -> Timer.builder("oag_api_calls")
                  .description("gRPC API calls by method and outcome")
                  .tag("method", String.valueOf(method)).tag("outcome", outcome).register(meters))
              .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          super.close(status, trailers);
        }
      }, headers);
    }
  }
}
