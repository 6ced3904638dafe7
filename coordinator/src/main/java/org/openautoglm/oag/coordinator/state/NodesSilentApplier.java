package org.openautoglm.oag.coordinator.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openautoglm.oag.command.v1.AllocationReport;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.NodesSilent;
import org.openautoglm.oag.command.v1.SilentNode;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * NodesSilent: the failover controller's verdicts on nodes the leader has not heard from.
 * A verdict applies only to the boot the leader last heard (a node that registered again
 * since is alive) and only while the node is UP.
 *
 * <ul>
 *   <li>{@code down}: past the TTL. The node becomes DOWN (its eligibility and drain stay),
 *       and every live allocation on it ends ALLOC_LOST. By then an exclusive task's lease
 *       has lapsed and the host's keeper has killed it, so its next generation may start.
 *   <li>not {@code down}: past the shorter TTL of {@code available} tasks. Only their
 *       allocations end ALLOC_LOST; the node stays UP, its exclusive work in place.
 * </ul>
 *
 * A task whose allocation is lost goes back to PENDING (node cleared) for the scheduler to
 * place elsewhere, or ends STOPPED when a stop was asked. When the node comes back, its
 * desired set no longer names the lost allocations, so its agent stops them before
 * starting anything.
 */
final class NodesSilentApplier implements CommandApplier<NodesSilent> {
  static final int MAX_NODES = 10_000;

  @Override
  public Optional<Violation> validate(NodesSilent body) {
    if (body.getNodesCount() > MAX_NODES) {
      return Violation.of("nodes", body.getNodesCount() + " entries, at most " + MAX_NODES);
    }
    for (int i = 0; i < body.getNodesCount(); i++) {
      Optional<Violation> bad = RegisterNodeApplier.checkNodeId("nodes[" + i + "].node_id",
          body.getNodes(i).getNodeId());
      if (bad.isPresent()) {
        return bad;
      }
      if (body.getNodes(i).getBootId().isEmpty()) {
        return Violation.of("nodes[" + i + "].boot_id", "required");
      }
    }
    return Optional.empty();
  }

  @Override
  public CommandResult apply(WorkingSet ws, NodesSilent body) {
    int down = 0;
    int lost = 0;
    List<String> skipped = new ArrayList<>();
    for (SilentNode s : body.getNodesList()) {
      NodeRecord node = ws.node(s.getNodeId());
      if (node == null) {
        skipped.add(s.getNodeId() + " unknown");
        continue;
      }
      if (!node.getBootId().equals(s.getBootId())) {
        skipped.add(s.getNodeId() + " registered again (boot " + node.getBootId() + ")");
        continue;
      }
      if (node.getStatus() != NodeStatus.UP) {
        skipped.add(s.getNodeId() + " is already " + node.getStatus());
        continue;
      }
      String why = "no heartbeat from " + node.getId() + " for " + s.getSilentMs() + " ms";
      if (s.getDown()) {
        NodeRecord downed = node.toBuilder().setStatus(NodeStatus.DOWN).setUpdatedAtMs(ws.timeMs())
            .setVersion(ws.index()).build();
        ws.putNode(downed);
        ws.emit(Events.ofNode(node.getId(), Events.NODE_DOWN, why));
        down++;
      }
      lost += loseAllocations(ws, node.getId(), s.getDown(), why);
    }
    return Results.ok("down " + down + ", allocations lost " + lost
        + (skipped.isEmpty() ? "" : ", skipped " + skipped.size() + ": " + String.join("; ", skipped)));
  }

  /**
   * Ends the live allocations on {@code node} (only available tasks' unless {@code all}) as an
   * ALLOC_LOST report would: the task PENDING again (STOPPED if it was being stopped), and a
   * migration through that node settled the way {@link ReportAllocationsApplier} settles it.
   */
  private static int loseAllocations(WorkingSet ws, String node, boolean all, String why) {
    int lost = 0;
    for (long seq : ws.taskSeqsOnNode(node)) {
      TaskRecord task = ws.task(seq);
      if (task == null || (!all && task.getSpec().getFencing() != Fencing.AVAILABLE)) {
        continue;
      }
      for (AllocationRecord a : Migrations.liveAllocations(task)) {
        if (!a.getNode().equals(node)) {
          continue;
        }
        AllocationReport lostReport = AllocationReport.newBuilder()
            .setTaskId(task.getId()).setAllocationId(a.getId()).setGeneration(a.getGeneration())
            .setStatus(AllocationStatus.ALLOC_LOST).setPid(a.getPid()).setExited(a.getExited())
            .setExitCode(a.getExitCode()).setRestarts(a.getRestarts()).setReason(why)
            .build();
        if (ReportAllocationsApplier.applyOne(ws, node, lostReport).kind() == ReportAllocationsApplier.Kind.APPLIED) {
          lost++;
        }
      }
    }
    return lost;
  }
}
