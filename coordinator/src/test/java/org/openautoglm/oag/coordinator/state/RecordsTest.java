package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;

class RecordsTest {

  private static final List<String> KEYS = List.of("PATH", "HOME", "A", "zeta", "MODEL", "B_2", "lang");

  private static TaskSpecRecord specWithMapsIn(List<String> order) {
    TaskSpecRecord.Builder b = TaskSpecRecord.newBuilder().setCommand("/bin/true");
    for (String k : order) {
      b.putEnv(k, "v-" + k);
      b.putLabels("l-" + k, k);
    }
    return b.build();
  }

  @Test
  void mapsBuiltInDifferentOrdersSerializeToIdenticalBytes() {
    List<String> reversed = new java.util.ArrayList<>(KEYS);
    java.util.Collections.reverse(reversed);
    List<String> rotated = new java.util.ArrayList<>(KEYS);
    java.util.Collections.rotate(rotated, 3);

    byte[] a = Records.toBytes(specWithMapsIn(KEYS));
    byte[] b = Records.toBytes(specWithMapsIn(reversed));
    byte[] c = Records.toBytes(specWithMapsIn(rotated));

    assertArrayEquals(a, b);
    assertArrayEquals(a, c);
    // Nested inside a task record too.
    TaskRecord ta = TaskRecord.newBuilder().setId("t1").setSpec(specWithMapsIn(KEYS)).build();
    TaskRecord tb = TaskRecord.newBuilder().setId("t1").setSpec(specWithMapsIn(reversed)).build();
    assertArrayEquals(Records.toBytes(ta), Records.toBytes(tb));
  }

  @Test
  void bytesRoundTrip() throws IOException {
    TaskSpecRecord spec = specWithMapsIn(KEYS);
    assertEquals(spec, Records.parse(TaskSpecRecord.parser(), Records.toBytes(spec), "spec"));
  }

  @Test
  void corruptRowIsAnIoFailure() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    IOException e = assertThrows(IOException.class,
        () -> Records.parse(TaskRecord.parser(), garbage, "task"));
    assertEquals(true, e.getMessage().startsWith("corrupt task row"));
  }

  @Test
  void requestHashIgnoresTheHeaderButNotTheBody() {
    Command first = Fixtures.submit(Fixtures.header(3, 1_000, "c", "r1"), Fixtures.spec("a"), true);
    Command retried = Fixtures.submit(Fixtures.header(4, 9_000, "c", "r1"), Fixtures.spec("a"), true);
    Command other = Fixtures.submit(Fixtures.header(3, 1_000, "c", "r1"), Fixtures.spec("b"), true);

    assertEquals(Records.requestHash(first), Records.requestHash(retried));
    assertNotEquals(Records.requestHash(first), Records.requestHash(other));
    assertEquals(32, Records.requestHash(first).size());
  }

  @Test
  void digestChainsPreviousDigestIndexAndEntryBytes() throws Exception {
    byte[] entry = {1, 2, 3};
    ByteString first = Records.nextDigest(ByteString.EMPTY, 7, entry);

    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(ByteBuffer.allocate(8).putLong(7).array());
    sha.update(entry);
    assertArrayEquals(sha.digest(), first.toByteArray());

    ByteString second = Records.nextDigest(first, 8, entry);
    sha.update(first.toByteArray());
    sha.update(ByteBuffer.allocate(8).putLong(8).array());
    sha.update(entry);
    assertArrayEquals(sha.digest(), second.toByteArray());
    assertNotEquals(second, Records.nextDigest(first, 9, entry));
  }
}
