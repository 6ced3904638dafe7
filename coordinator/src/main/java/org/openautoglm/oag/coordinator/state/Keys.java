package org.openautoglm.oag.coordinator.state;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;

/**
 * Row keys and task ids. A task's row key is its sequence number as 8 bytes
 * big-endian, so a scan of the tasks column family runs in creation order;
 * its id is {@code "t" + seq}. A dedupe row's key is client id, NUL, request
 * id (both are validated to contain no NUL, so the key is unambiguous). A
 * node's key is its id in UTF-8. An event's key is its log index (8 bytes)
 * then its position in the entry (4 bytes), both big-endian, so events scan
 * oldest first.
 */
final class Keys {

  static final byte[] META = "meta".getBytes(UTF_8);

  private static final int MAX_SEQ_DIGITS = 18;  // every 18-digit number fits a long

  private Keys() {}

  static byte[] taskKey(long seq) {
    return ByteBuffer.allocate(Long.BYTES).putLong(seq).array();
  }

  static long seqOfKey(byte[] key) {
    if (key.length != Long.BYTES) {
      throw new IllegalArgumentException("task key of " + key.length + " bytes");
    }
    return ByteBuffer.wrap(key).getLong();
  }

  static String taskId(long seq) {
    return "t" + seq;
  }

  /**
   * The sequence number of a task id of the form {@code t[1-9][0-9]*}, or -1
   * when the id is malformed (or too large to have been issued).
   */
  static long seqOfTaskId(String id) {
    int n = id == null ? 0 : id.length();
    if (n < 2 || n > MAX_SEQ_DIGITS + 1 || id.charAt(0) != 't' || id.charAt(1) == '0') {
      return -1;
    }
    long seq = 0;
    for (int i = 1; i < n; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      seq = seq * 10 + (c - '0');
    }
    return seq;
  }

  static final int EVENT_KEY_BYTES = Long.BYTES + Integer.BYTES;

  static byte[] nodeKey(String id) {
    return id.getBytes(UTF_8);
  }

  static String nodeIdOf(byte[] key) {
    return new String(key, UTF_8);
  }

  static byte[] eventKey(long index, int position) {
    return ByteBuffer.allocate(EVENT_KEY_BYTES).putLong(index).putInt(position).array();
  }

  static long eventIndexOf(byte[] key) {
    checkEventKey(key);
    return ByteBuffer.wrap(key).getLong();
  }

  static int eventPositionOf(byte[] key) {
    checkEventKey(key);
    return ByteBuffer.wrap(key).getInt(Long.BYTES);
  }

  private static void checkEventKey(byte[] key) {
    if (key.length != EVENT_KEY_BYTES) {
      throw new IllegalArgumentException("event key of " + key.length + " bytes");
    }
  }

  static String dedupeKey(String clientId, String requestId) {
    return clientId + '\0' + requestId;
  }

  static byte[] dedupeKeyBytes(String key) {
    return key.getBytes(UTF_8);
  }

  static String dedupeKeyOf(byte[] key) {
    return new String(key, UTF_8);
  }
}
