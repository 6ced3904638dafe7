package org.openautoglm.oag.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDirsTest {
  @TempDir
  Path dir;

  @Test
  void swapReplacesTheLiveDirAndLeavesNothingBehind() throws Exception {
    Path live = Files.createDirectories(dir.resolve("state"));
    Files.writeString(live.resolve("old.sst"), "old");
    Path incoming = Files.createDirectories(dir.resolve("state.incoming"));
    Files.writeString(incoming.resolve("new.sst"), "new");

    CheckpointDirs.swap(incoming, live);

    assertThat(live.resolve("new.sst")).hasContent("new");
    assertThat(live.resolve("old.sst")).doesNotExist();
    assertThat(dir.resolve("state.old")).doesNotExist();
    assertThat(incoming).doesNotExist();
  }

  @Test
  void aSwapInterruptedBetweenItsRenamesIsUndoneOnStart() throws Exception {
    // The crash came after live -> live.old and before incoming -> live.
    Path old = Files.createDirectories(dir.resolve("state.old"));
    Files.writeString(old.resolve("data.sst"), "kept");

    CheckpointDirs.recoverInterruptedSwap(dir.resolve("state"));

    assertThat(dir.resolve("state").resolve("data.sst")).hasContent("kept");
    assertThat(old).doesNotExist();
  }

  @Test
  void aCompleteDirIsLeftAlone() throws Exception {
    Path live = Files.createDirectories(dir.resolve("state"));
    Files.writeString(live.resolve("data.sst"), "live");
    Files.createDirectories(dir.resolve("state.old"));

    CheckpointDirs.recoverInterruptedSwap(live);

    assertThat(live.resolve("data.sst")).hasContent("live");
  }
}
