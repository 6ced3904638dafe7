package org.openautoglm.oag.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiTest {
  private static final String H100_0 = "GPU-3f1c2a7e-9b1d-4c55-8e2a-0d6b1f7c9a01";
  private static final String H100_1 = "GPU-8a4e6b3c-2f7d-41a9-b3c5-7e1d9f2a6b02";

  // What nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits prints
  private static final String GPUS_CSV = ""
      + "0, " + H100_0 + ", NVIDIA H100 80GB HBM3, 81559\n"
      + "1, " + H100_1 + ", NVIDIA H100 80GB HBM3, 81559\n";

  // What nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader,nounits prints
  private static final String PROCESSES_CSV = ""
      + "4242, " + H100_0 + ", 40960\n"
      + "4243, " + H100_1 + ", 1024\n";

  @TempDir Path dir;

  @Test
  void parsesGpusWithSpacesInTheModelName() {
    assertThat(NvidiaSmi.parseGpus(GPUS_CSV)).containsExactly(
        new Gpu(0, H100_0, "NVIDIA H100 80GB HBM3", 81559),
        new Gpu(1, H100_1, "NVIDIA H100 80GB HBM3", 81559));
  }

  @Test
  void parsesAModelNameThatHoldsACommaAndCrlfLineEnds() {
    assertThat(NvidiaSmi.parseGpus("0, GPU-a, Tesla V100-SXM2-16GB, rev 2, 16384\r\n"))
        .containsExactly(new Gpu(0, "GPU-a", "Tesla V100-SXM2-16GB, rev 2", 16384));
  }

  @Test
  void skipsBlankAndBadGpuLines() {
    String csv = "\n"
        + "0, " + H100_0 + ", NVIDIA H100 80GB HBM3, 81559\n"
        + "   \n"
        + "No devices were found\n"
        + "x, GPU-b, NVIDIA A100-SXM4-40GB, 40960\n"
        + "2, , NVIDIA A100-SXM4-40GB, 40960\n"
        + "3, GPU-c, NVIDIA A100-SXM4-40GB, lots\n"
        + "4, GPU-d, NVIDIA A100-SXM4-40GB, [N/A]\n";

    assertThat(NvidiaSmi.parseGpus(csv)).containsExactly(
        new Gpu(0, H100_0, "NVIDIA H100 80GB HBM3", 81559),
        new Gpu(4, "GPU-d", "NVIDIA A100-SXM4-40GB", 0));
  }

  @Test
  void parsesProcessesAndReadsUnreportedMemoryAsZero() {
    String csv = PROCESSES_CSV
        + "4244, " + H100_0 + ", [N/A]\n"
        + "4245, " + H100_1 + ", [Not Supported]\n";

    assertThat(NvidiaSmi.parseProcesses(csv)).containsExactly(
        new GpuProcess(4242, H100_0, 40960),
        new GpuProcess(4243, H100_1, 1024),
        new GpuProcess(4244, H100_0, 0),
        new GpuProcess(4245, H100_1, 0));
  }

  @Test
  void skipsBlankAndBadProcessLines() {
    String csv = "\n4242, " + H100_0 + ", 40960\n"
        + "\n"
        + "pid, gpu_uuid, used_memory\n"
        + "4243, " + H100_1 + "\n"
        + "4244, " + H100_1 + ", 1, 2\n";

    assertThat(NvidiaSmi.parseProcesses(csv)).containsExactly(new GpuProcess(4242, H100_0, 40960));
  }

  @Test
  void emptyOutputMeansNothing() {
    assertThat(NvidiaSmi.parseGpus("")).isEmpty();
    assertThat(NvidiaSmi.parseProcesses("\n")).isEmpty();
  }

  @Test
  void aFakeNvidiaSmiAnswersEachQuery() throws IOException {
    Path fake = script("""
        case "$1" in
          --query-gpu=index,uuid,name,memory.total) printf '%s' "$GPUS" ;;
          --query-compute-apps=pid,gpu_uuid,used_memory) printf '%s' "$PROCESSES" ;;
          *) echo "unexpected arguments: $*" >&2; exit 2 ;;
        esac
        [ "$2" = "--format=csv,noheader,nounits" ] || exit 3
        """.replace("$GPUS", GPUS_CSV).replace("$PROCESSES", PROCESSES_CSV));
    NvidiaSmi smi = NvidiaSmi.at(fake);

    assertThat(smi.gpus()).isEqualTo(NvidiaSmi.parseGpus(GPUS_CSV)).hasSize(2);
    assertThat(smi.processes()).isEqualTo(NvidiaSmi.parseProcesses(PROCESSES_CSV)).hasSize(2);
  }

  @Test
  void aFailingNvidiaSmiReportsNothing() throws IOException {
    Path fake = script("""
        echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
        exit 9
        """);

    assertThat(NvidiaSmi.at(fake).gpus()).isEmpty();
    assertThat(NvidiaSmi.at(fake).processes()).isEmpty();
  }

  @Test
  void aMissingExecutableReportsNothing() {
    NvidiaSmi smi = NvidiaSmi.at(dir.resolve("no-such-nvidia-smi"));

    assertThat(smi.gpus()).isEmpty();
    assertThat(smi.processes()).isEmpty();
  }

  @Test
  void aHungNvidiaSmiIsKilledAtTheTimeout() throws IOException {
    Path pids = dir.resolve("pids");
    Path fake = script("""
        sleep 60 &
        echo "$$ $!" > "%s"
        wait
        """.formatted(pids));
    NvidiaSmi smi = NvidiaSmi.at(fake, Duration.ofSeconds(2));

    List<Gpu> gpus = assertTimeoutPreemptively(Duration.ofSeconds(20), smi::gpus);

    assertThat(gpus).isEmpty();
    for (String pid : Files.readString(pids).trim().split(" ")) {
      await().atMost(Duration.ofSeconds(10)).until(() -> isGone(Long.parseLong(pid)));
    }
  }

  @Test
  void parsesPmonColumnsByTheirHeaderNames() {
    // nvidia-smi pmon -c 1 -s u on a 535 driver; newer ones add jpg and ofa columns.
    String pmon = ""
        + "# gpu         pid   type     sm    mem    enc    dec    jpg    ofa    command \n"
        + "# Idx           #    C/G      %      %      %      %      %      %    name \n"
        + "    0       4242     C     45     20      -      -      -      -    python3 \n"
        + "    1       4243     C      -      -      -      -      -      -    python3 \n"
        + "    2          -     -      -      -      -      -      -      -    -      \n";

    assertThat(NvidiaSmi.parsePmon(pmon)).containsExactly(
        new GpuProcessUtilization(4242, 0, 45), new GpuProcessUtilization(4243, 1, 0));
    assertThat(NvidiaSmi.parsePmon("No devices were found\n")).isEmpty();
  }

  /** Output captured from a real H100 (see src/test/resources/nvidia-smi/h100/README.md). */
  @Test
  void readsWhatARealH100PrintedIdleAndUnderLoad() throws IOException {
    String uuid = "GPU-885b9cac-39c2-3924-8e2d-55a6a5cbe07a";
    assertThat(NvidiaSmi.parseGpus(h100("gpus.csv")))
        .containsExactly(new Gpu(0, uuid, "NVIDIA H100 80GB HBM3", 81559));
    assertThat(NvidiaSmi.parseProcesses(h100("apps-idle.csv"))).isEmpty();
    assertThat(NvidiaSmi.parsePmon(h100("pmon-idle.txt"))).isEmpty();
    assertThat(NvidiaSmi.parseProcesses(h100("apps.csv")))
        .containsExactly(new GpuProcess(462, uuid, 1386));
    assertThat(NvidiaSmi.parsePmon(h100("pmon.txt")))
        .containsExactly(new GpuProcessUtilization(462, 0, 98));
  }

  private static String h100(String file) throws IOException {
    try (var in = NvidiaSmiTest.class.getResourceAsStream("/nvidia-smi/h100/" + file)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void onPathNeverThrows() {
    // Whether or not this machine has nvidia-smi and a GPU, the calls answer with a list.
    NvidiaSmi smi = NvidiaSmi.onPath();

    assertThat(smi.gpus()).isNotNull();
    assertThat(smi.processes()).isNotNull();
    assertThat(smi.processUtilization()).isNotNull();
  }

  /** Gone or a zombie: an orphan killed here is reaped by whatever adopted it, maybe never. */
  private static boolean isGone(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }
    String text = Files.readString(stat);
    char state = text.charAt(text.lastIndexOf(')') + 2);
    return state == 'Z' || state == 'X';
  }

  private Path script(String body) throws IOException {
    Path file = Files.createTempFile(dir, "nvidia-smi", ".sh");
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
