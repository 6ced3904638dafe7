package org.openautoglm.oag.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogReaderTest {
  @TempDir Path dir;

  @Test
  void readsTheTailThenWhatIsAppended() throws Exception {
    Path f = dir.resolve("stdout.log");
    Files.writeString(f, "0123456789");
    FileLogReader r = new FileLogReader(f, 4);
    assertThat(next(r, 100)).isEqualTo("6789");
    assertThat(next(r, 100)).isEmpty();
    Files.writeString(f, "abc", StandardOpenOption.APPEND);
    assertThat(next(r, 2)).isEqualTo("ab");
    assertThat(next(r, 2)).isEqualTo("c");
  }

  @Test
  void zeroTailReadsOnlyNewBytesAndNegativeReadsEverything() throws Exception {
    Path f = dir.resolve("out");
    Files.writeString(f, "old");
    assertThat(next(new FileLogReader(f, 0), 100)).isEmpty();
    assertThat(next(new FileLogReader(f, -1), 100)).isEqualTo("old");
    assertThat(next(new FileLogReader(f, 1000), 100)).isEqualTo("old");
  }

  @Test
  void aMissingFileReadsAsEmptyUntilItAppearsAndATruncatedOneStartsOver() throws Exception {
    Path f = dir.resolve("later");
    FileLogReader r = new FileLogReader(f, 100);
    assertThat(next(r, 100)).isEmpty();
    Files.writeString(f, "hello");
    assertThat(next(r, 100)).isEqualTo("hello");
    Files.writeString(f, "hi");
    assertThat(next(r, 100)).isEqualTo("hi");
  }

  private static String next(LogReader r, int max) throws Exception {
    byte[] buf = new byte[max];
    int n = r.read(buf);
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }
}
