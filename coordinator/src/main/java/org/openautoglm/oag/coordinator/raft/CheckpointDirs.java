package org.openautoglm.oag.coordinator.raft;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-system steps of a checkpoint install: fsync a tree, swap it for the live dir by rename. */
public final class CheckpointDirs {
  private CheckpointDirs() {}

  /** fsyncs every file under dir, then dir itself. */
  public static void fsyncTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
          }
        }
      }
    }
    fsyncDir(dir);
  }

  /** Replaces live with incoming: live -> live.old, incoming -> live, delete live.old. */
  static void swap(Path incoming, Path live) throws IOException {
    Path old = live.resolveSibling(live.getFileName() + ".old");
    deleteTree(old);
    if (Files.exists(live)) {
      Files.move(live, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(incoming, live, StandardCopyOption.ATOMIC_MOVE);
    fsyncDir(live.getParent());
    deleteTree(old);
  }

  /**
   * A crash between the two renames of {@link #swap} leaves no live dir but the old one
   * beside it: put it back (the Raft log still matches it; the install is simply redone).
   */
  static void recoverInterruptedSwap(Path live) throws IOException {
    Path old = live.resolveSibling(live.getFileName() + ".old");
    if (!Files.exists(live) && Files.exists(old)) {
      Files.move(old, live, StandardCopyOption.ATOMIC_MOVE);
      fsyncDir(live.getParent());
    }
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  private static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
