package org.openautoglm.oag.coordinator.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.openautoglm.oag.command.v1.Command;

/**
 * The one codec of stored records: deterministic protobuf serialization (map
 * entries sorted by key, so equal records give equal bytes whatever order
 * their maps were built in), SHA-256, and parsing that reports corruption as
 * {@link IOException}. Stateless and thread-safe.
 */
final class Records {

  private Records() {}

  /** Serializes {@code message} deterministically. */
  static byte[] toBytes(MessageLite message) {
    byte[] out = new byte[message.getSerializedSize()];
    CodedOutputStream stream = CodedOutputStream.newInstance(out);
    stream.useDeterministicSerialization();
    try {
      message.writeTo(stream);
    } catch (IOException e) {
      throw new UncheckedIOException("serializing to an array cannot fail", e);
    }
    stream.checkNoSpaceLeft();
    return out;
  }

  static ByteString toByteString(MessageLite message) {
    return ByteString.copyFrom(toBytes(message));
  }

  /** Parses a stored row; a row that does not parse is corruption, reported as I/O failure. */
  static <T> T parse(Parser<T> parser, byte[] bytes, String what) throws IOException {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("corrupt " + what + " row: " + e.getMessage(), e);
    }
  }

  static byte[] sha256(byte[]... parts) {
    MessageDigest digest = newSha256();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /**
   * The idempotency hash of a command: SHA-256 of its deterministic bytes with
   * the header cleared, so a retry stamped with another term or time matches.
   */
  static ByteString requestHash(Command command) {
    return ByteString.copyFrom(sha256(toBytes(command.toBuilder().clearHeader().build())));
  }

  /** SHA-256(previous digest || index as 8 bytes big-endian || entry bytes). */
  static ByteString nextDigest(ByteString previous, long index, byte[] entryBytes) {
    MessageDigest digest = newSha256();
    digest.update(previous.toByteArray());
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(index).array());
    digest.update(entryBytes);
    return ByteString.copyFrom(digest.digest());
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
