package org.openautoglm.oag.coordinator;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The data dir remembers which cluster and node it belongs to, so a node
 * started on another cluster's or another node's data refuses to run rather
 * than corrupt both.
 */
public final class DataDirIdentity {
  static final String FILE = "identity.properties";

  private DataDirIdentity() {}

  /** The data dir is another node's or another cluster's: a usage error, nothing was touched. */
  public static final class Mismatch extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message);
    }
  }

  static void claim(Path dataDir, String clusterId, String nodeId) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
      String cluster = p.getProperty("cluster");
      String node = p.getProperty("node");
      if (!clusterId.equals(cluster) || !nodeId.equals(node)) {
        throw new Mismatch("data dir " + dataDir + " belongs to node " + node + " of cluster "
            + cluster + ", not node " + nodeId + " of cluster " + clusterId);
      }
      return;
    }
    if (Files.exists(dataDir.resolve("raft")) || Files.exists(dataDir.resolve("state"))) {
      throw new Mismatch("data dir " + dataDir + " holds data but no " + FILE
          + "; refusing to guess whose it is");
    }
    Properties p = new Properties();
    p.setProperty("cluster", clusterId);
    p.setProperty("node", nodeId);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, "oag coordinator data dir identity; do not edit");
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
