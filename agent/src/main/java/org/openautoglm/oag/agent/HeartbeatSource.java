package org.openautoglm.oag.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openautoglm.oag.agent.gpu.GpuProcess;
import org.openautoglm.oag.agent.host.HostSample;
import org.openautoglm.oag.agent.host.HostSampler;
import org.openautoglm.oag.agent.host.ProcessSample;
import org.openautoglm.oag.agent.host.ProcessSampler;
import org.openautoglm.oag.agent.supervisor.AllocationState;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.HostMetrics;
import org.openautoglm.oag.agent.v1.ProcessMetrics;

/**
 * Builds what the agent reports: allocation statuses for a Hello, and heartbeat bodies with
 * host metrics and, for each running allocation, the sum over its process group's live
 * members (CPU of one core, resident memory, GPU memory from the latest nvidia-smi sample;
 * uptime is the group leader's).
 *
 * <p>Not thread-safe: the samplers keep the previous sample to compute rates, so one thread
 * (the session's) builds every heartbeat.
 */
final class HeartbeatSource {
  private final HostSampler host;
  private final ProcessSampler processes;
  private final ProcessGroupScan groups;
  private final GpuProcessCache gpus;
  private Set<Long> sampledLastTime = Set.of();

  /** The latest GPU processes, refreshed elsewhere (nvidia-smi is slow). */
  interface GpuProcessCache {
    List<GpuProcess> latest();
  }

  HeartbeatSource(HostSampler host, ProcessSampler processes, ProcessGroupScan groups,
      GpuProcessCache gpus) {
    this.host = host;
    this.processes = processes;
    this.groups = groups;
    this.gpus = gpus;
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
    Set<Long> running = new HashSet<>();
    for (Reconciler.Tracked t : tracked) {
      if (t.status().state() == AllocationState.RUNNING && t.status().pid() > 0) {
        running.add(t.status().pid());
      }
    }
    Map<Long, List<Long>> members = groups.members(running);
    Map<Long, Long> gpuMemory = new HashMap<>();
    if (!running.isEmpty()) {
      for (GpuProcess p : gpus.latest()) {
        gpuMemory.merge(p.pid(), p.usedMemoryMiB(), Long::sum);
      }
    }
    Set<Long> sampled = new HashSet<>();
    for (Reconciler.Tracked t : tracked) {
      AllocationStatus.Builder s = status(t);
      List<Long> pids = members.get(t.status().pid());
      if (running.contains(t.status().pid()) && pids != null) {
        s.setMetrics(metrics(t.status().pid(), pids, gpuMemory, sampled));
      }
      hb.addAllocations(s);
    }
    for (long gone : sampledLastTime) {
      if (!sampled.contains(gone)) {
        processes.forget(gone);
      }
    }
    sampledLastTime = sampled;
    return hb;
  }

  private ProcessMetrics metrics(long leader, List<Long> pids, Map<Long, Long> gpuMemory,
      Set<Long> sampled) {
    double cpu = 0;
    long rss = 0;
    long gpuMiB = 0;
    double uptime = 0;
    for (long pid : pids) {
      ProcessSample p = processes.sample(pid).orElse(null);
      if (p == null) {
        continue;
      }
      sampled.add(pid);
      cpu += p.cpuPercent();
      rss += p.rssMiB();
      gpuMiB += gpuMemory.getOrDefault(pid, 0L);
      if (pid == leader) {
        uptime = p.uptimeSeconds();
      }
    }
    return ProcessMetrics.newBuilder().setCpuPercent(cpu).setRssMib(rss)
        .setUptimeMs((long) (uptime * 1000)).setGpuMemoryMib(gpuMiB).build();
  }

  static AllocationStatus.Builder status(Reconciler.Tracked t) {
    AllocationSupervisor.Status s = t.status();
    AllocationStatus.Builder b = AllocationStatus.newBuilder()
        .setAllocationId(t.allocation().allocationId())
        .setTaskId(t.allocation().taskId())
        .setGeneration(t.allocation().generation())
        .setState(state(s.state()))
        .setPid(Math.max(0, s.pid()))
        .setRestarts(s.restarts())
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
    };
  }
}
