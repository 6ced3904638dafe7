package org.openautoglm.oag.coordinator.api;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openautoglm.oag.api.v1.ClusterServiceGrpc;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.ClusterStatusRequest;
import org.openautoglm.oag.api.v1.DrainNodeRequest;
import org.openautoglm.oag.api.v1.DrainStatusReply;
import org.openautoglm.oag.api.v1.DrainStatusRequest;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.EventsRequest;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.GetFailoverSettingsRequest;
import org.openautoglm.oag.api.v1.GetRebalanceSettingsRequest;
import org.openautoglm.oag.api.v1.ListNodesReply;
import org.openautoglm.oag.api.v1.ListNodesRequest;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.api.v1.NodeReply;
import org.openautoglm.oag.api.v1.RebalanceSettings;
import org.openautoglm.oag.api.v1.SetNodeEligibilityRequest;
import org.openautoglm.oag.api.v1.TransferLeaderReply;
import org.openautoglm.oag.api.v1.TransferLeaderRequest;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.DrainNode;
import org.openautoglm.oag.command.v1.SetFailoverSettings;
import org.openautoglm.oag.command.v1.SetNodeEligibility;
import org.openautoglm.oag.command.v1.SetRebalanceSettings;
import org.openautoglm.oag.coordinator.Clock;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.coordinator.PeerAddress;
import org.openautoglm.oag.coordinator.fleet.FleetView;
import org.openautoglm.oag.coordinator.peer.PeerClient;
import org.openautoglm.oag.coordinator.peer.PeerEndpoint;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.state.CommandValidator;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.peer.v1.NodeStatusReply;
import org.openautoglm.oag.state.v1.NodeEligibility;
import org.openautoglm.oag.state.v1.NodeRecord;

/**
 * gRPC ClusterService: the member table (asking every peer for its role,
 * indexes and digest, in parallel, with a short deadline; an unreachable
 * member is shown as such), leadership transfer, the node list (leader only:
 * heartbeats live in the leader's memory; a follower answers not-leader with
 * the leader's address), cordoning, uncordoning and draining a node (replicated writes), a
 * drain's progress (any member: read from replicated state), the failover and rebalance
 * settings (read from any member, replaced by a replicated write) and the event log (any
 * member: events are replicated), streamed with flow control and, on request, followed.
 */
final class ClusterEndpoint extends ClusterServiceGrpc.ClusterServiceImplBase implements AutoCloseable {
  private static final long PEER_TIMEOUT_MS = 1500;
  private static final long READ_TIMEOUT_MS = 5000;
  static final int DEFAULT_EVENTS = 1000;
  static final int MAX_EVENTS = 10_000;
  /** The longest drain deadline a request may ask for. */
  static final long MAX_DRAIN_DEADLINE_MS = Duration.ofDays(7).toMillis();

  private final RaftNode raft;
  private final PeerClient peers;
  private final String clusterId;
  private final Executor executor;
  private final FleetView fleet;
  private final Proposer proposer;
  private final Duration deadline;
  private final Clock clock;
  private final EventStream.Followers followers = new EventStream.Followers();

  /**
   * @param executor runs peer calls, reads and event pumping, never on gRPC or Ratis threads
   * @param clock the leader's wall clock, which turns a drain's relative deadline into replicated time
   */
  ClusterEndpoint(RaftNode raft, Proposer proposer, Duration deadline, Clock clock, PeerClient peers,
      String clusterId, Executor executor, FleetView fleet) {
    this.raft = raft;
    this.proposer = proposer;
    this.deadline = deadline;
    this.clock = clock;
    this.peers = peers;
    this.clusterId = clusterId;
    this.executor = executor;
    this.fleet = fleet;
    raft.addApplyListener(followers);
  }

  /** Stops waking followers; their calls end with the server. */
  @Override
  public void close() {
    raft.removeApplyListener(followers);
  }

  @Override
  public void listNodes(ListNodesRequest request, StreamObserver<ListNodesReply> out) {
    if (!raft.isLeader()) {
      out.onError(ApiErrors.toStatus(raft.notLeader()));
      return;
    }
    TaskEndpoint.Replies.send(afterReadBarrier(this::nodes), out);
  }

  /** {@code body} once this member has applied everything committed before the call. */
  private <T> CompletableFuture<T> afterReadBarrier(Supplier<T> body) {
    return raft.readBarrier()
        .orTimeout(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          if (ApiErrors.unwrap(e) instanceof TimeoutException) {
            throw new CoordinatorException.Overloaded("read timed out waiting for the leader's read index");
          }
          throw e instanceof CompletionException ce ? ce : new CompletionException(e);
        })
        .thenApplyAsync(v -> body.get(), executor);
  }

  /**
   * Proposes {@code command} (validated first) and maps its result: OK through {@code ok},
   * the rest to the matching gRPC error.
   */
  private <T> CompletableFuture<T> write(Command command, Function<CommandResult, T> ok) {
    Optional<CommandValidator.Violation> bad = CommandValidator.validate(command);
    if (bad.isPresent()) {
      return CompletableFuture.failedFuture(
          new CoordinatorException.InvalidArgument(bad.get().field(), bad.get().message()));
    }
    return proposer.propose(command)
        .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(r -> switch (r.getCode()) {
          case OK -> ok.apply(r);
          case NOT_FOUND -> throw new CoordinatorException.NotFound(r.getMessage());
          case INVALID_ARGUMENT -> throw new CoordinatorException.InvalidArgument(r.getField(), r.getMessage());
          case FAILED_PRECONDITION -> throw new CoordinatorException.FailedPrecondition(r.getMessage());
          default -> throw new CoordinatorException.Indeterminate("unexpected apply result " + r.getCode(), null);
        });
  }

  private static Command.Builder command() {
    return Command.newBuilder().setHeader(CommandHeader.newBuilder().setVersion(TaskEndpoint.COMMAND_VERSION));
  }

  @Override
  public void getFailoverSettings(GetFailoverSettingsRequest request, StreamObserver<FailoverSettings> out) {
    TaskEndpoint.Replies.send(afterReadBarrier(() -> ApiMapper.toApi(raft.store().meta().getCluster())), out);
  }

  @Override
  public void setFailoverSettings(FailoverSettings request, StreamObserver<FailoverSettings> out) {
    Command command = command().setSetFailoverSettings(SetFailoverSettings.newBuilder()
        .setSettings(ApiMapper.toRecord(request))).build();
    TaskEndpoint.Replies.send(write(command, r -> ApiMapper.toApi(raft.store().meta().getCluster())), out);
  }

  @Override
  public void getRebalanceSettings(GetRebalanceSettingsRequest request, StreamObserver<RebalanceSettings> out) {
    TaskEndpoint.Replies.send(afterReadBarrier(
        () -> ApiMapper.toApi(raft.store().meta().getCluster().getRebalance())), out);
  }

  /** Validated before proposing, so a bad field is named without touching the log. */
  @Override
  public void setRebalanceSettings(RebalanceSettings request, StreamObserver<RebalanceSettings> out) {
    Command command = command().setSetRebalanceSettings(SetRebalanceSettings.newBuilder()
        .setSettings(ApiMapper.toRecord(request))).build();
    TaskEndpoint.Replies.send(write(command,
        r -> ApiMapper.toApi(raft.store().meta().getCluster().getRebalance())), out);
  }

  private ListNodesReply nodes() {
    var store = raft.store();
    ListNodesReply.Builder reply = ListNodesReply.newBuilder();
    store.nodes().forEach(n -> reply.addNodes(ApiMapper.toApi(n, store.used(n.getId()), fleet)));
    return reply.build();
  }

  @Override
  public void setNodeEligibility(SetNodeEligibilityRequest request, StreamObserver<NodeReply> out) {
    NodeEligibility eligibility = switch (request.getEligibility()) {
      case NODE_ELIGIBLE -> NodeEligibility.ELIGIBLE;
      case NODE_CORDONED -> NodeEligibility.CORDONED;
      default -> NodeEligibility.NODE_ELIGIBILITY_UNSPECIFIED;
    };
    Command command = command().setSetNodeEligibility(SetNodeEligibility.newBuilder()
        .setNodeId(request.getNodeId()).setEligibility(eligibility)).build();
    TaskEndpoint.Replies.send(write(command, r -> nodeReply(r, request.getNodeId())), out);
  }

  /** The node a write's result carries (else as now stored), mapped as ListNodes maps it. */
  private NodeReply nodeReply(CommandResult r, String nodeId) {
    var store = raft.store();
    NodeRecord node = r.hasNode() ? r.getNode() : store.node(nodeId)
        .orElseThrow(() -> new CoordinatorException.NotFound("node " + nodeId + " not found"));
    return NodeReply.newBuilder().setNode(ApiMapper.toApi(node, store.used(node.getId()), fleet)).build();
  }

  /**
   * Starts or cancels a drain. The relative deadline becomes replicated time here, on the
   * leader, as the proposer stamps the header's time; a follower's proposer answers
   * not-leader, which the client follows.
   */
  @Override
  public void drainNode(DrainNodeRequest request, StreamObserver<NodeReply> out) {
    if (request.getNodeId().isEmpty()) {
      out.onError(ApiErrors.toStatus(new CoordinatorException.InvalidArgument("node_id", "required")));
      return;
    }
    long relative = request.getDeadlineMs();
    if (relative < 0 || relative > MAX_DRAIN_DEADLINE_MS) {
      out.onError(ApiErrors.toStatus(new CoordinatorException.InvalidArgument("deadline_ms",
          "must be between 0 (none) and " + MAX_DRAIN_DEADLINE_MS + " (7 days), not " + relative)));
      return;
    }
    Command command = command().setDrainNode(DrainNode.newBuilder()
        .setNodeId(request.getNodeId())
        .setDeadlineMs(relative == 0 ? 0 : clock.millis() + relative)
        .setCancel(request.getCancel())).build();
    TaskEndpoint.Replies.send(write(command, r -> nodeReply(r, request.getNodeId())), out);
  }

  /** What the node's drain waits for, from any member once it has caught up with the leader. */
  @Override
  public void drainStatus(DrainStatusRequest request, StreamObserver<DrainStatusReply> out) {
    String nodeId = request.getNodeId();
    if (nodeId.isEmpty()) {
      out.onError(ApiErrors.toStatus(new CoordinatorException.InvalidArgument("node_id", "required")));
      return;
    }
    TaskEndpoint.Replies.send(afterReadBarrier(() -> {
      var store = raft.store();
      NodeRecord node = store.node(nodeId)
          .orElseThrow(() -> new CoordinatorException.NotFound("node " + nodeId + " not found"));
      return DrainProgress.of(node, node.hasDrain() ? store.tasksOnNode(nodeId) : List.of());
    }), out);
  }

  @Override
  public void events(EventsRequest request, StreamObserver<Event> out) {
    if (request.getSinceIndex() < 0) {
      out.onError(ApiErrors.toStatus(new CoordinatorException.InvalidArgument("since_index", "must not be negative")));
      return;
    }
    if (request.getLimit() < 0) {
      out.onError(ApiErrors.toStatus(new CoordinatorException.InvalidArgument("limit", "must not be negative")));
      return;
    }
    int limit = request.getLimit() == 0 ? DEFAULT_EVENTS : Math.min(request.getLimit(), MAX_EVENTS);
    new EventStream((ServerCallStreamObserver<Event>) out, raft::store, executor, request.getSinceIndex(), limit,
        request.getFollow() ? followers : null).start();
  }

  /** How many Events calls are following the log now. */
  int followers() {
    return followers.size();
  }

  @Override
  public void status(ClusterStatusRequest request, StreamObserver<ClusterStatus> out) {
    List<CompletableFuture<Member>> members = raft.peers().stream()
        .map(p -> CompletableFuture.supplyAsync(() -> member(p), executor)).toList();
    CompletableFuture<ClusterStatus> status = CompletableFuture.allOf(members.toArray(CompletableFuture[]::new))
        .thenApply(v -> {
          String leader = raft.leaderId();
          return ClusterStatus.newBuilder()
              .setClusterId(clusterId)
              .setLeader(leader == null ? "" : leader)
              .setTerm(raft.term())
              .setAnsweredBy(raft.nodeId())
              .addAllMembers(members.stream().map(CompletableFuture::join).toList())
              .build();
        });
    TaskEndpoint.Replies.send(status, out);
  }

  private Member member(PeerAddress p) {
    Member.Builder m = Member.newBuilder().setId(p.id()).setRaftAddress(p.raftAddress()).setApiAddress(p.apiAddress());
    try {
      NodeStatusReply s = p.id().equals(raft.nodeId()) ? PeerEndpoint.status(raft) : peers.nodeStatus(p.id(), PEER_TIMEOUT_MS);
      return m.setRole(s.getRole()).setTerm(s.getTerm()).setCommitIndex(s.getCommitIndex())
          .setAppliedIndex(s.getAppliedIndex()).setDigest(s.getDigest()).setReachable(true)
          .setSnapshotInstalls(s.getSnapshotInstalls()).build();
    } catch (RuntimeException e) {
      return m.setRole("UNREACHABLE").setReachable(false).build();
    }
  }

  @Override
  public void transferLeader(TransferLeaderRequest request, StreamObserver<TransferLeaderReply> out) {
    String target = request.getTarget();
    if (!target.isEmpty() && raft.peer(target) == null) {
      out.onError(ApiErrors.toStatus(new CoordinatorException.InvalidArgument("target",
          "no member named '" + target + "'")));
      return;
    }
    if (target.equals(raft.nodeId()) && raft.isLeader()) {
      out.onNext(TransferLeaderReply.newBuilder().setLeader(target).build());
      out.onCompleted();
      return;
    }
    TaskEndpoint.Replies.send(raft.transferLeadership(target, 5000)
        .thenApply(leader -> TransferLeaderReply.newBuilder().setLeader(leader).build()), out);
  }
}
