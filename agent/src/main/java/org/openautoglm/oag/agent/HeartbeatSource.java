package org.openautoglm.oag.agent;

import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.agent.host.HostSample;
import org.openautoglm.oag.agent.host.HostSampler;
import org.openautoglm.oag.agent.supervisor.AllocationState;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.HostMetrics;
import org.openautoglm.oag.agent.v1.ProcessMetrics;

/**
 * Builds what the agent reports: allocation statuses for a Hello, and heartbeat bodies with
 * host metrics and, for each running or paused allocation, its process group's use as its
 * supervisor last measured it (CPU of one core, resident memory and GPU summed over the
 * group; uptime of the current run). Every status says whether the allocation is ready, as of
 * the last supervision step.
 *
 * <p>Not thread-safe: the host sampler keeps the previous sample to compute rates, so one
 * thread (the session's) builds every heartbeat.
 */
final class HeartbeatSource {
  private final HostSampler host;

  HeartbeatSource(HostSampler host) {
    this.host = host;
  }

  /** Statuses without metrics, as a Hello carries them. */
  static List<AllocationStatus> inventory(List<Reconciler.Tracked> tracked) {
    List<AllocationStatus> out = new ArrayList<>(tracked.size());
    for (Reconciler.Tracked t : tracked) {
      out.add(status(t).build());
    }
    return out;
  }

  Heartbeat.Builder heartbeat(List<Reconciler.Tracked> tracked) {
    HostSample h = host.sample();
    Heartbeat.Builder hb = Heartbeat.newBuilder().setHost(HostMetrics.newBuilder()
        .setCpuPercent(h.cpuPercent())
        .setMemoryTotalMib(h.memoryTotalMiB())
        .setMemoryUsedMib(h.memoryUsedMiB())
        .setLoad1(h.load1()));
    for (Reconciler.Tracked t : tracked) {
      AllocationStatus.Builder s = status(t);
      AllocationState state = t.status().state();
      if ((state == AllocationState.RUNNING || state == AllocationState.PAUSED) && t.metrics() != null) {
        AllocationSupervisor.Metrics m = t.metrics();
        s.setMetrics(ProcessMetrics.newBuilder()
            .setCpuPercent(m.cpuPercent())
            .setRssMib(m.rssMiB())
            .setUptimeMs((long) (m.uptimeSeconds() * 1000))
            .setGpuPercent(m.gpuPercent())
            .setGpuMemoryMib(m.gpuMemoryMiB()));
      }
      hb.addAllocations(s);
    }
    return hb;
  }

  static AllocationStatus.Builder status(Reconciler.Tracked t) {
    AllocationSupervisor.Status s = t.status();
    AllocationStatus.Builder b = AllocationStatus.newBuilder()
        .setAllocationId(t.allocation().allocationId())
        .setTaskId(t.allocation().taskId())
        .setGeneration(t.allocation().generation())
        .setState(state(s.state()))
        .setPid(Math.max(0, t.commandPid()))
        .setRestarts(s.restarts())
        .setReady(t.ready())
        .setReason(s.reason() == null ? "" : s.reason());
    if (s.exitCode() != null) {
      b.setExited(true).setExitCode(s.exitCode());
    }
    return b;
  }

  static org.openautoglm.oag.agent.v1.AllocationState state(AllocationState s) {
    return switch (s) {
      case ASSIGNED -> org.openautoglm.oag.agent.v1.AllocationState.ASSIGNED;
      case RUNNING -> org.openautoglm.oag.agent.v1.AllocationState.RUNNING;
      case BACKOFF -> org.openautoglm.oag.agent.v1.AllocationState.BACKOFF;
      case PAUSED -> org.openautoglm.oag.agent.v1.AllocationState.PAUSED;
      case EXITED -> org.openautoglm.oag.agent.v1.AllocationState.EXITED;
      case KILLED -> org.openautoglm.oag.agent.v1.AllocationState.KILLED;
      case FAILED -> org.openautoglm.oag.agent.v1.AllocationState.FAILED;
      case FENCED -> org.openautoglm.oag.agent.v1.AllocationState.FENCED;
    };
  }
}
