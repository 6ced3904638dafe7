package org.openautoglm.oag.agent.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The folder {@code DATA/leases/} shared by the agent, which renews, and the keeper, which
 * enforces: one file {@code <allocId>} per guarded exclusive allocation holding a {@link
 * LeaseFile}, and {@code <allocId>.killed} ({@link KilledMarker}) for each group the keeper
 * killed. Available allocations have no file and the keeper never touches them.
 *
 * <p>Files are replaced atomically (a hidden temp file {@code .<allocId>.tmp}, then a rename),
 * so a reader sees the old or the new content. They are not fsynced: a lease only matters
 * while the host runs, and a host crash ends its processes anyway; renewals come every
 * heartbeat, and an fsync each would cost more than it protects. Ids that begin with a dot or
 * end in {@code .killed} cannot hold a lease (they would clash with these names).
 *
 * <p>Stateless and thread-safe; uses nothing beyond the JDK, so the keeper's JVM stays small.
 */
public final class Leases {
  static final String KILLED = ".killed";

  private final Path dir;

  /** The leases of the agent whose data dir is {@code data}. */
  public Leases(Path data) {
    this.dir = data.resolve("leases");
  }

  public Path dir() {
    return dir;
  }

  /** Writes (or replaces) the lease of {@code allocationId}. */
  public void renew(String allocationId, long pgid, long startTicks, long deadlineNanos)
      throws IOException {
    replace(file(allocationId), new LeaseFile(pgid, startTicks, deadlineNanos).format());
  }

  /** Removes the lease of {@code allocationId}, if any: the keeper no longer guards it. */
  public void remove(String allocationId) throws IOException {
    Files.deleteIfExists(file(allocationId));
  }

  /** The lease of {@code allocationId}, or empty when there is none. */
  public Optional<LeaseFile> read(String allocationId) {
    return readText(file(allocationId)).flatMap(LeaseFile::parse);
  }

  /** Whether {@code allocationId} has a lease that holds at {@code nowNanos}. */
  public boolean valid(String allocationId, long nowNanos) {
    return read(allocationId).map(l -> l.valid(nowNanos)).orElse(false);
  }

  /** Every lease, by allocation id; unreadable files are left out. */
  public Map<String, LeaseFile> list() throws IOException {
    Map<String, LeaseFile> leases = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return leases;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (isLeaseName(name)) {
          readText(p).flatMap(LeaseFile::parse).ifPresent(l -> leases.put(name, l));
        }
      }
    }
    return leases;
  }

  /** What the keeper recorded when it killed {@code allocationId}'s group, if it did. */
  public Optional<KilledMarker> killed(String allocationId) {
    return readText(dir.resolve(checked(allocationId) + KILLED)).flatMap(KilledMarker::parse);
  }

  /** Removes the killed marker, e.g. once the leader has been told. */
  public void clearKilled(String allocationId) throws IOException {
    Files.deleteIfExists(dir.resolve(checked(allocationId) + KILLED));
  }

  void markKilled(String allocationId, KilledMarker marker) throws IOException {
    replace(dir.resolve(checked(allocationId) + KILLED), marker.format());
  }

  /**
   * Takes the lease file away from the agent before enforcing it: renamed to a hidden name,
   * so a renewal that lands meanwhile makes a new file instead of being deleted with it.
   * Returns the claimed content, or empty when there was no such file. A lease found still
   * valid once claimed (renewed just before) is put back unless a newer one exists.
   */
  Optional<LeaseFile> claimLapsed(String allocationId, long nowNanos) throws IOException {
    Path live = file(allocationId);
    Path claimed = dir.resolve("." + allocationId + ".lapsed");
    try {
      Files.move(live, claimed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Optional<LeaseFile> lease = readText(claimed).flatMap(LeaseFile::parse);
    if (lease.isPresent() && lease.get().valid(nowNanos)) {
      try {
        Files.createLink(live, claimed);
      } catch (FileAlreadyExistsException newer) {
        // A newer renewal is in place; it wins.
      }
      Files.deleteIfExists(claimed);
      return Optional.empty();
    }
    Files.deleteIfExists(claimed);
    return lease;
  }

  static boolean isLeaseName(String name) {
    return !name.isEmpty() && !name.startsWith(".") && !name.endsWith(KILLED);
  }

  private Path file(String allocationId) {
    return dir.resolve(checked(allocationId));
  }

  private static String checked(String allocationId) {
    if (!isLeaseName(allocationId) || allocationId.contains("/")) {
      throw new IllegalArgumentException("no lease file for allocation id " + allocationId);
    }
    return allocationId;
  }

  private void replace(Path target, String content) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Optional<String> readText(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
