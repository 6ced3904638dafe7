package org.openautoglm.oag.coordinator.state;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.RegisterNode;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.CapacityRecord;
import org.openautoglm.oag.state.v1.GpuRecord;
import org.openautoglm.oag.state.v1.NodeEligibility;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;

/**
 * RegisterNode: an agent announced its node.
 *
 * <ul>
 *   <li>A new node is stored UP ({@code node.registered}).
 *   <li>The same boot id with the same address, capacity and labels of a node
 *       that is UP changes nothing: registering is idempotent.
 *   <li>Another boot id (the agent restarted) stores the registration and
 *       sets the node UP ({@code node.restarted}); any other difference does
 *       the same as {@code node.updated}.
 * </ul>
 *
 * Allocations are left alone: a restarted agent re-adopts its processes and
 * reports them. The result is OK with a message and no task.
 */
final class RegisterNodeApplier implements CommandApplier<RegisterNode> {

  static final int MAX_NODE_ID_CHARS = 64;
  static final int MAX_BOOT_ID_CHARS = 128;
  static final int MAX_ADDRESS_CHARS = 253;
  static final int MAX_GPUS = 1024;
  static final int MAX_LABEL_CHARS = 253;

  @Override
  public Optional<Violation> validate(RegisterNode body) {
    Optional<Violation> bad = checkNodeId("node_id", body.getNodeId());
    if (bad.isPresent()) {
      return bad;
    }
    String boot = body.getBootId();
    if (boot.isEmpty()) {
      return Violation.of("boot_id", "required");
    }
    if (boot.length() > MAX_BOOT_ID_CHARS) {
      return Violation.of("boot_id", boot.length() + " chars, at most " + MAX_BOOT_ID_CHARS);
    }
    if (body.getAddress().length() > MAX_ADDRESS_CHARS) {
      return Violation.of("address", body.getAddress().length() + " chars, at most " + MAX_ADDRESS_CHARS);
    }
    bad = checkCapacity(body.getCapacity());
    return bad.isPresent() ? bad : checkLabels(body.getLabelsMap());
  }

  /** A node id: 1-64 of A-Z a-z 0-9 . _ - (it becomes a row key and part of allocation ids). */
  static Optional<Violation> checkNodeId(String field, String id) {
    if (id.isEmpty()) {
      return Violation.of(field, "required");
    }
    if (id.length() > MAX_NODE_ID_CHARS) {
      return Violation.of(field, id.length() + " chars, at most " + MAX_NODE_ID_CHARS);
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return Violation.of(field, "may contain only A-Z a-z 0-9 . _ - but has '" + c + "'");
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> checkCapacity(CapacityRecord capacity) {
    if (capacity.getCpuMillis() < 0) {
      return Violation.of("capacity.cpu_millis", capacity.getCpuMillis() + " is negative");
    }
    if (capacity.getMemoryMib() < 0) {
      return Violation.of("capacity.memory_mib", capacity.getMemoryMib() + " is negative");
    }
    if (capacity.getGpusCount() > MAX_GPUS) {
      return Violation.of("capacity.gpus", capacity.getGpusCount() + " entries, at most " + MAX_GPUS);
    }
    for (int i = 0; i < capacity.getGpusCount(); i++) {
      GpuRecord gpu = capacity.getGpus(i);
      if (gpu.getIndex() < 0) {
        return Violation.of("capacity.gpus[" + i + "].index", gpu.getIndex() + " is negative");
      }
      if (gpu.getMemoryMib() < 0) {
        return Violation.of("capacity.gpus[" + i + "].memory_mib", gpu.getMemoryMib() + " is negative");
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> checkLabels(Map<String, String> labels) {
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      if (e.getKey().isEmpty()) {
        return Violation.of("labels", "empty key");
      }
      if (e.getKey().length() > MAX_LABEL_CHARS || e.getValue().length() > MAX_LABEL_CHARS) {
        return Violation.of("labels", "entry '" + e.getKey() + "' longer than " + MAX_LABEL_CHARS + " chars");
      }
    }
    return Optional.empty();
  }

  @Override
  public CommandResult apply(WorkingSet ws, RegisterNode body) {
    String id = body.getNodeId();
    NodeRecord old = ws.node(id);
    NodeRecord.Builder next = (old == null ? NodeRecord.newBuilder().setId(id) : old.toBuilder())
        .setBootId(body.getBootId())
        .setAddress(body.getAddress())
        .setCapacity(body.getCapacity())
        .clearLabels()
        .putAllLabels(body.getLabelsMap())
        .setStatus(NodeStatus.UP);
    if (old != null && next.build().equals(old)) {
      return Results.ok("node " + id + " unchanged");
    }
    String type;
    String message;
    if (old == null) {
      next.setRegisteredAtMs(ws.timeMs()).setEligibility(NodeEligibility.ELIGIBLE);
      type = Events.NODE_REGISTERED;
      message = "registered " + describe(body.getCapacity());
    } else if (!old.getBootId().equals(body.getBootId())) {
      type = Events.NODE_RESTARTED;
      message = "agent restarted (boot " + body.getBootId() + "), " + describe(body.getCapacity());
    } else {
      type = Events.NODE_UPDATED;
      message = "registration changed, " + describe(body.getCapacity());
    }
    NodeRecord node = next.setUpdatedAtMs(ws.timeMs()).setVersion(ws.index()).build();
    ws.putNode(node);
    ws.emit(Events.ofNode(id, type, message));
    return Results.ok("node " + id + " " + type.substring("node.".length()));
  }

  private static String describe(CapacityRecord c) {
    return c.getCpuMillis() + " cpu millis, " + c.getMemoryMib() + " MiB, " + c.getGpusCount() + " GPUs";
  }
}
