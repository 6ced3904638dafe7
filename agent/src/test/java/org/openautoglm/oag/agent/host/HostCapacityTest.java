package org.openautoglm.oag.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.gpu.Gpu;
import org.openautoglm.oag.agent.gpu.NvidiaSmi;

class HostCapacityTest {
  @TempDir Path dir;

  @Test
  void capacityIsCoresMemoryAndTheGpusNvidiaSmiReports() throws IOException {
    Files.createDirectories(dir.resolve("proc"));
    Files.writeString(dir.resolve("proc/meminfo"), "MemTotal:       32768000 kB\nMemAvailable:   1000 kB\n");
    Path smi = dir.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\necho '0, GPU-aaaa, NVIDIA H100 80GB HBM3, 81559'\n"
        + "echo '1, GPU-bbbb, NVIDIA H100 80GB HBM3, 81559'\n");
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));

    HostCapacity c = HostCapacity.detect(new ProcFs(dir.resolve("proc"), 100, 4096), NvidiaSmi.at(smi));

    assertThat(c.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.memoryMiB()).isEqualTo(32000);
    assertThat(c.gpus()).extracting(Gpu::model).containsExactly("NVIDIA H100 80GB HBM3", "NVIDIA H100 80GB HBM3");
    assertThat(c.gpus()).extracting(Gpu::memoryMiB).containsOnly(81559L);
  }

  @Test
  void aHostWithoutNvidiaSmiHasNoGpusAndNoError() {
    HostCapacity c = HostCapacity.detect(ProcFs.host(), NvidiaSmi.at(dir.resolve("no-such-nvidia-smi")));

    assertThat(c.gpus()).isEmpty();
    assertThat(c.memoryMiB()).isPositive();
    assertThat(c.cores()).isPositive();
  }
}
