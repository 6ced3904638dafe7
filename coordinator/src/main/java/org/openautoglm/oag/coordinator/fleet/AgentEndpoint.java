package org.openautoglm.oag.coordinator.fleet;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.agent.v1.AgentMessage;
import org.openautoglm.oag.agent.v1.AgentServiceGrpc;
import org.openautoglm.oag.agent.v1.CoordinatorMessage;
import org.openautoglm.oag.agent.v1.Gpu;
import org.openautoglm.oag.agent.v1.RegisterReply;
import org.openautoglm.oag.agent.v1.RegisterRequest;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.RegisterNode;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.coordinator.api.ApiErrors;
import org.openautoglm.oag.coordinator.state.CommandValidator;
import org.openautoglm.oag.state.v1.CapacityRecord;
import org.openautoglm.oag.state.v1.GpuRecord;
import org.openautoglm.oag.state.v1.NodeStatus;

/**
 * gRPC AgentService. On the leader, Register replicates the node (idempotent per boot id) and
 * Session opens an {@link AgentSession}; a follower relays both to the leader.
 */
final class AgentEndpoint extends AgentServiceGrpc.AgentServiceImplBase {
  private final FleetController controller;

  AgentEndpoint(FleetController controller) {
    this.controller = controller;
  }

  @Override
  public void register(RegisterRequest request, StreamObserver<RegisterReply> out) {
    FleetContext ctx = controller.context();
    if (!ctx.raft().isLeaderRole()) {
      controller.relay().register(request, out);
      return;
    }
    Command command = Command.newBuilder()
        .setHeader(FleetCommands.header())
        .setRegisterNode(toCommand(request))
        .build();
    Optional<CommandValidator.Violation> bad = CommandValidator.validate(command);
    if (bad.isPresent()) {
      out.onError(ApiErrors.toStatus(new CoordinatorException.InvalidArgument(bad.get().field(), bad.get().message())));
      return;
    }
    long term = ctx.raft().term();
    ctx.fleet().touch(request.getNodeId());
    if (alreadyRegistered(ctx, command.getRegisterNode())) {
      // A reconnect of the same agent process: nothing to replicate (and no log entry per
      // agent when a whole fleet reconnects after a failover).
      reply(ctx, term, out);
      return;
    }
    controller.proposer().propose(command)
        .orTimeout(10, TimeUnit.SECONDS)
        .whenComplete((result, error) -> {
          if (error != null) {
            out.onError(ApiErrors.toStatus(error));
          } else if (result.getCode() != CommandResult.Code.OK) {
            out.onError(ApiErrors.toStatus(refusal(result)));
          } else {
            reply(ctx, term, out);
          }
        });
  }

  private static void reply(FleetContext ctx, long term, StreamObserver<RegisterReply> out) {
    out.onNext(RegisterReply.newBuilder()
        .setTerm(term)
        .setLeaseMs(ctx.leaseMs())
        .setHeartbeatMs(ctx.settings().heartbeat().toMillis())
        .build());
    out.onCompleted();
    ctx.placer().poke();
  }

  /** Whether the store (so the log) already holds exactly this registration, node UP. */
  private static boolean alreadyRegistered(FleetContext ctx, RegisterNode r) {
    return ctx.store().node(r.getNodeId())
        .filter(n -> n.getStatus() == NodeStatus.UP
            && n.getBootId().equals(r.getBootId())
            && n.getAddress().equals(r.getAddress())
            && n.getCapacity().equals(r.getCapacity())
            && n.getLabelsMap().equals(r.getLabelsMap()))
        .isPresent();
  }

  @Override
  public StreamObserver<AgentMessage> session(StreamObserver<CoordinatorMessage> out) {
    FleetContext ctx = controller.context();
    if (!ctx.raft().isLeader()) {
      if (ctx.raft().isLeaderRole()) {   // elected, not ready: the agent retries in a moment
        out.onError(Status.UNAVAILABLE.withDescription("leader not ready yet").asRuntimeException());
        return new Discard<>();
      }
      return controller.relay().session(out);
    }
    return new AgentSession(ctx, out, ctx.raft().term());
  }

  private static RegisterNode toCommand(RegisterRequest request) {
    CapacityRecord.Builder capacity = CapacityRecord.newBuilder()
        .setCpuMillis(request.getCapacity().getCpuMillis())
        .setMemoryMib(request.getCapacity().getMemoryMib());
    for (Gpu gpu : request.getCapacity().getGpusList()) {
      capacity.addGpus(GpuRecord.newBuilder().setIndex(gpu.getIndex()).setModel(gpu.getModel())
          .setMemoryMib(gpu.getMemoryMib()).setUuid(gpu.getUuid()));
    }
    return RegisterNode.newBuilder()
        .setNodeId(request.getNodeId())
        .setBootId(request.getBootId())
        .setAddress(request.getAddress())
        .setCapacity(capacity)
        .putAllLabels(request.getLabelsMap())
        .build();
  }

  private static RuntimeException refusal(CommandResult r) {
    return switch (r.getCode()) {
      case INVALID_ARGUMENT -> new CoordinatorException.InvalidArgument(r.getField(), r.getMessage());
      case NOT_FOUND -> new CoordinatorException.NotFound(r.getMessage());
      default -> new CoordinatorException.FailedPrecondition(r.getMessage());
    };
  }
}
