package org.openautoglm.oag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.RestartPolicy;
import picocli.CommandLine.TypeConversionException;

class UnitsTest {

  @Test
  void memoryIsInMiBWithBinaryUnits() {
    assertEquals(512, Units.parseMemoryMiB("512"));
    assertEquals(256, Units.parseMemoryMiB("256Mi"));
    assertEquals(1024, Units.parseMemoryMiB("1Gi"));
    assertEquals(2048, Units.parseMemoryMiB("2GiB"));
    assertEquals(1 << 20, Units.parseMemoryMiB("1Ti"));
  }

  @Test
  void garbageMemoryIsRefused() {
    for (String bad : new String[] {"", "lots", "1.5Gi", "-1", "256MB", "1Gx", "99999999999999999999"}) {
      assertThrows(TypeConversionException.class, () -> Units.parseMemoryMiB(bad), bad);
    }
  }

  @Test
  void cpuIsInCoresOrMillicores() {
    assertEquals(0.5, new Units.Cpu().convert("0.5"));
    assertEquals(0.5, new Units.Cpu().convert("500m"));
    assertEquals(2.0, new Units.Cpu().convert("2"));
    assertThrows(TypeConversionException.class, () -> new Units.Cpu().convert("-1"));
    assertThrows(TypeConversionException.class, () -> new Units.Cpu().convert("NaN"));
    assertThrows(TypeConversionException.class, () -> new Units.Cpu().convert("half"));
  }

  @Test
  void restartPolicies() {
    assertEquals(RestartPolicy.RESTART_NEVER, new Units.Restart().convert("never"));
    assertEquals(RestartPolicy.RESTART_ON_FAILURE, new Units.Restart().convert("on-failure"));
    assertEquals(RestartPolicy.RESTART_ALWAYS, new Units.Restart().convert("ALWAYS"));
    assertThrows(TypeConversionException.class, () -> new Units.Restart().convert("sometimes"));
  }
}
