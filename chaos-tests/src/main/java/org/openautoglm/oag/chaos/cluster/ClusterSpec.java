package org.openautoglm.oag.chaos.cluster;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * What cluster to start: how many coordinators and agents, where their data and logs go,
 * whether each gets its own network namespace, their JVM options, and which nodes get a small
 * disk of their own (a tmpfs mount on the data directory) for disk-full faults; whether the
 * coordinators' wall clocks can be jumped; how often they snapshot and purge their log.
 *
 * @param coordinators 1 to 9 members, named c1..cN
 * @param workDir data directories {@code workDir/cK} and logs {@code workDir/cK.log}
 * @param isolatedNetwork one namespace per node on a bridge (needs root); false = all on
 *     127.0.0.1 with free ports, where network faults are unavailable
 * @param jvmOptions options of every coordinator JVM
 * @param coordinatorArgs extra {@code oag coordinator} options (e.g. an election timeout)
 * @param smallDisks node id -> size in bytes of the tmpfs mounted on its data directory
 * @param agents agents named a1..aM ({@code workDir/aK}, {@code workDir/aK.log}), each in a
 *     namespace of its own when the coordinators have theirs; at most 9 nodes in all then
 * @param agentArgs extra {@code oag agent} options (e.g. {@code --cpu 2 --memory 2Gi})
 * @param fakeClocks every coordinator reads its wall clock through a {@link FakeClock} the
 *     harness can jump (needs libfaketime: {@link FakeClock#unavailable()})
 * @param compaction how often coordinators snapshot and whether they purge up to the snapshot
 */
public record ClusterSpec(int coordinators, Path workDir, boolean isolatedNetwork,
    List<String> jvmOptions, List<String> coordinatorArgs, Map<String, Long> smallDisks,
    int agents, List<String> agentArgs, boolean fakeClocks, LogCompaction compaction) {
  /** A small heap and quick start: three of these share two cores with the harness. */
  public static final List<String> SMALL_JVM = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");
  /** An agent's JVM, as deploy/local-cluster.sh starts it. */
  public static final List<String> AGENT_JVM = List.of("-Xms16m", "-Xmx128m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

  public ClusterSpec {
    if (coordinators < 1 || coordinators > 9) {
      throw new IllegalArgumentException("coordinators must be 1 to 9, was " + coordinators);
    }
    if (agents < 0 || agents > 9) {
      throw new IllegalArgumentException("agents must be 0 to 9, was " + agents);
    }
    if (isolatedNetwork && coordinators + agents > 9) {
      throw new IllegalArgumentException("at most 9 nodes in namespaces, was " + (coordinators + agents));
    }
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(compaction, "compaction");
    jvmOptions = List.copyOf(jvmOptions);
    coordinatorArgs = List.copyOf(coordinatorArgs);
    smallDisks = Map.copyOf(smallDisks);
    agentArgs = List.copyOf(agentArgs);
  }

  /** N coordinators with the shipped settings and a small heap, no agents. */
  public static ClusterSpec of(int coordinators, Path workDir, boolean isolatedNetwork) {
    return new ClusterSpec(coordinators, workDir, isolatedNetwork, SMALL_JVM, List.of(), Map.of(),
        0, List.of(), false, LogCompaction.SHIPPED);
  }

  public ClusterSpec withSmallDisk(String node, long bytes) {
    Map<String, Long> disks = new HashMap<>(smallDisks);
    disks.put(node, bytes);
    return new ClusterSpec(coordinators, workDir, isolatedNetwork, jvmOptions, coordinatorArgs, disks,
        agents, agentArgs, fakeClocks, compaction);
  }

  /** The same cluster with {@code n} agents, started with {@code args} besides their own. */
  public ClusterSpec withAgents(int n, List<String> args) {
    return new ClusterSpec(coordinators, workDir, isolatedNetwork, jvmOptions, coordinatorArgs,
        smallDisks, n, args, fakeClocks, compaction);
  }

  /**
   * The same cluster with every coordinator's wall clock under the harness's control ({@link
   * CoordinatorProcess#jumpClock}); starting it fails where {@link FakeClock#unavailable()}.
   */
  public ClusterSpec withFakeClocks() {
    return new ClusterSpec(coordinators, workDir, isolatedNetwork, jvmOptions, coordinatorArgs,
        smallDisks, agents, agentArgs, true, compaction);
  }

  /**
   * The same cluster with coordinators that snapshot every {@code entries} applied entries,
   * write Raft log segments of {@code segmentBytes} and purge up to each snapshot ({@link
   * LogCompaction#frequent}), so that a follower behind by a few snapshots must install a
   * checkpoint. Such a cluster also purges entries a killed leader may need when it comes back
   * (why the coordinator does not purge that way by default; SnapshotInstallIT).
   */
  public ClusterSpec withFrequentSnapshots(long entries, long segmentBytes) {
    return withCompaction(LogCompaction.frequent(entries, segmentBytes));
  }

  /** The same cluster with coordinators that snapshot and purge as {@code c} says. */
  public ClusterSpec withCompaction(LogCompaction c) {
    return new ClusterSpec(coordinators, workDir, isolatedNetwork, jvmOptions, coordinatorArgs,
        smallDisks, agents, agentArgs, fakeClocks, c);
  }

  List<String> ids() {
    return IntStream.rangeClosed(1, coordinators).mapToObj(k -> "c" + k).toList();
  }

  List<String> agentIds() {
    return IntStream.rangeClosed(1, agents).mapToObj(k -> "a" + k).toList();
  }
}
