package org.openautoglm.oag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
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

  @Test
  void durationsTakeUnitsAndABareNumberIsSeconds() {
    Units.Span span = new Units.Span();
    assertEquals(Duration.ofSeconds(30), span.convert("30s"));
    assertEquals(Duration.ofSeconds(90), span.convert("90"));
    assertEquals(Duration.ofMinutes(90), span.convert("1h30m"));
    assertEquals(Duration.ofMillis(500), span.convert("500ms"));
    assertEquals(Duration.ofMillis(1500), span.convert("1.5s"));
    assertEquals(Duration.ofDays(2), span.convert("2d"));
    for (String bad : new String[] {"", "0", "0s", "-1s", "5x", "s", "1h30", "1.5", "30 s"}) {
      if (bad.equals("1.5")) {
        assertEquals(Duration.ofMillis(1500), span.convert(bad));
        continue;
      }
      assertThrows(TypeConversionException.class, () -> span.convert(bad), bad);
    }
  }

  @Test
  void sizesInBytesAndPercents() {
    assertEquals(4096, new Units.Bytes().convert("4096"));
    assertEquals(65536, new Units.Bytes().convert("64Ki"));
    assertEquals(1 << 20, new Units.Bytes().convert("1M"));
    assertThrows(TypeConversionException.class, () -> new Units.Bytes().convert("0"));
    assertThrows(TypeConversionException.class, () -> new Units.Bytes().convert("1Ti"));
    assertEquals(150, new Units.Percent().convert("150%"));
    assertEquals(50, new Units.Percent().convert("50"));
    assertThrows(TypeConversionException.class, () -> new Units.Percent().convert("0"));
    assertThrows(TypeConversionException.class, () -> new Units.Percent().convert("1.5"));
    assertEquals(101, new Units.PositiveInt().convert(" 101"));
    assertThrows(TypeConversionException.class, () -> new Units.PositiveInt().convert("0"));
    assertThrows(TypeConversionException.class, () -> new Units.PositiveInt().convert("-3"));
    assertThrows(TypeConversionException.class, () -> new Units.PositiveInt().convert("20%"));
  }

  @Test
  void displayFormsAreCompact() {
    assertEquals("500ms", Output.durationName(500));
    assertEquals("2.5s", Output.durationName(2500));
    assertEquals("1m30s", Output.durationName(90_000));
    assertEquals("2h", Output.durationName(7_200_000));
    assertEquals("0.4s ago", Output.ageName(420));
    assertEquals("3m12s ago", Output.ageName(192_300));
    assertEquals("-", Output.ageName(-1));
    assertEquals("512Mi", Output.memoryName(512));
    assertEquals("16Gi", Output.memoryName(16384));
    assertEquals("1.5Gi", Output.memoryName(1536));
  }
}
