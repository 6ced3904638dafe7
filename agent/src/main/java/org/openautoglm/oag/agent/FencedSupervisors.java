package org.openautoglm.oag.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.openautoglm.oag.agent.lease.AllocationLease;
import org.openautoglm.oag.agent.lease.Leases;
import org.openautoglm.oag.agent.supervisor.AllocationDir;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor;
import org.openautoglm.oag.agent.supervisor.LeaseCheck;
import org.openautoglm.oag.agent.supervisor.ProcessLauncher;
import org.openautoglm.oag.agent.supervisor.SupervisorOptions;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the supervisors of this host's allocations, new or re-adopted, and keeps the leases of
 * the exclusive ones: each gets an {@link AllocationLease} (granted at once when the agent
 * holds a lease, and a keeper watching its file), renewed with every ack until the allocation
 * is forgotten. Making a supervisor happens on the supervision thread; renewals come from the
 * session's thread, so the lease registry is concurrent.
 */
final class FencedSupervisors {
  private static final Logger log = LoggerFactory.getLogger(FencedSupervisors.class);

  /**
   * What exclusive allocations need from the agent: the current lease deadline (empty before
   * the first ack) and a keeper process watching the lease files.
   */
  interface Fencing {
    OptionalLong leaseDeadlineNanos();

    void ensureKeeper() throws IOException;
  }

  /** A supervisor and its lease (null: not exclusive). */
  record Made(AllocationSupervisor supervisor, AllocationLease lease) {}

  private final String nodeId;
  private final Path data;
  private final ProcessLauncher launcher;
  private final SupervisorOptions options;
  private final Fencing fencing;
  private final Leases leases;
  private final Map<String, AllocationLease> active = new ConcurrentHashMap<>();

  FencedSupervisors(String nodeId, Path data, ProcessLauncher launcher, SupervisorOptions options,
      Fencing fencing) {
    this.nodeId = nodeId;
    this.data = data;
    this.launcher = launcher;
    this.options = options;
    this.fencing = fencing;
    this.leases = new Leases(data);
  }

  /**
   * Persists {@code d} and returns its supervisor; an exclusive one that is to run gets a lease
   * first (one to stop never runs, so it needs none).
   */
  Made start(DesiredAllocation d) throws IOException {
    AllocationLease lease = null;
    if (d.getExclusive() && d.getDesired() != DesiredState.STOP) {
      fencing.ensureKeeper();
      lease = new AllocationLease(leases, d.getAllocationId());
      OptionalLong deadline = fencing.leaseDeadlineNanos();
      if (deadline.isPresent()) {
        lease.renew(deadline.getAsLong());
      }
    }
    AllocationSupervisor s = AllocationSupervisor.start(data, DesiredAllocations.allocation(d),
        DesiredAllocations.restartPolicy(d), DesiredAllocations.thresholds(d), launcher,
        options.withLease(lease == null ? LeaseCheck.NONE : lease));
    return register(d.getAllocationId(), s, lease);
  }

  /**
   * The supervisors of the allocations a previous agent left in the data dir, except those it
   * already saw end (see {@link AllocationSupervisor#endedBeforeAdoption()}). One with a lease
   * file (or a keeper's kill marker) was exclusive and stays fenced.
   */
  List<Made> adoptAll(long nowNanos) throws IOException {
    List<Made> adopted = new ArrayList<>();
    for (AllocationDir dir : AllocationDir.list(data)) {
      String id = dir.allocation().allocationId();
      boolean exclusive = leases.read(id).isPresent() || leases.killed(id).isPresent();
      AllocationLease lease = exclusive ? new AllocationLease(leases, id) : null;
      AllocationSupervisor s = AllocationSupervisor.adopt(dir, launcher,
          options.withLease(lease == null ? LeaseCheck.NONE : lease), nowNanos);
      if (s.endedBeforeAdoption()) {
        continue;
      }
      if (lease != null) {
        fencing.ensureKeeper();
      }
      adopted.add(register(id, s, lease));
    }
    return adopted;
  }

  private Made register(String id, AllocationSupervisor s, AllocationLease lease) {
    if (lease != null) {
      active.put(id, lease);
    }
    return new Made(s, lease);
  }

  /** Extends every exclusive allocation's lease to {@code deadlineNanos}; any thread. */
  void renewAll(long deadlineNanos) {
    for (AllocationLease lease : active.values()) {
      try {
        lease.renew(deadlineNanos);
      } catch (IOException e) {
        log.error("event=lease_not_renewed node={} alloc={} error=\"{}\"", nodeId,
            lease.allocationId(), e.toString());
      }
    }
  }

  /** Stops renewing the lease of a forgotten allocation. */
  void forget(String allocationId, AllocationLease lease) {
    if (lease != null) {
      active.remove(allocationId, lease);
    }
  }
}
