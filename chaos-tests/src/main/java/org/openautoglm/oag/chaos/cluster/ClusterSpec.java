package org.openautoglm.oag.chaos.cluster;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * What cluster to start: how many coordinators, where their data and logs go, whether each
 * gets its own network namespace, their JVM options, and which nodes get a small disk of
 * their own (a tmpfs mount on the data directory) for disk-full faults.
 *
 * @param coordinators 1 to 9 members, named c1..cN
 * @param workDir data directories {@code workDir/cK} and logs {@code workDir/cK.log}
 * @param isolatedNetwork one namespace per node on a bridge (needs root); false = all on
 *     127.0.0.1 with free ports, where network faults are unavailable
 * @param jvmOptions options of every coordinator JVM
 * @param coordinatorArgs extra {@code oag coordinator} options (e.g. an election timeout)
 * @param smallDisks node id -> size in bytes of the tmpfs mounted on its data directory
 */
public record ClusterSpec(int coordinators, Path workDir, boolean isolatedNetwork,
    List<String> jvmOptions, List<String> coordinatorArgs, Map<String, Long> smallDisks) {
  /** A small heap and quick start: three of these share two cores with the harness. */
  public static final List<String> SMALL_JVM = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

  public ClusterSpec {
    if (coordinators < 1 || coordinators > 9) {
      throw new IllegalArgumentException("coordinators must be 1 to 9, was " + coordinators);
    }
    Objects.requireNonNull(workDir, "workDir");
    jvmOptions = List.copyOf(jvmOptions);
    coordinatorArgs = List.copyOf(coordinatorArgs);
    smallDisks = Map.copyOf(smallDisks);
  }

  /** N coordinators with the shipped settings and a small heap. */
  public static ClusterSpec of(int coordinators, Path workDir, boolean isolatedNetwork) {
    return new ClusterSpec(coordinators, workDir, isolatedNetwork, SMALL_JVM, List.of(), Map.of());
  }

  public ClusterSpec withSmallDisk(String node, long bytes) {
    Map<String, Long> disks = new HashMap<>(smallDisks);
    disks.put(node, bytes);
    return new ClusterSpec(coordinators, workDir, isolatedNetwork, jvmOptions, coordinatorArgs, disks);
  }

  List<String> ids() {
    return IntStream.rangeClosed(1, coordinators).mapToObj(k -> "c" + k).toList();
  }
}
