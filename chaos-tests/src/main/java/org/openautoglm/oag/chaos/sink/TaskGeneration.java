package org.openautoglm.oag.chaos.sink;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One (task, generation) pair: the body of a tick line and the key a {@link Life} is kept
 * under. A task id is 1 or more characters with no whitespace or control characters; a
 * generation is 0 or more.
 */
record TaskGeneration(String taskId, long generation) {

  /** The longest line, in bytes without its {@code \n}, that a connection accepts. */
  static final int MAX_LINE_BYTES = 512;

  /** The longest task id a reporter is built for: its line fits with any generation. */
  static final int MAX_TASK_ID_BYTES = MAX_LINE_BYTES - 20;

  /**
   * Parses {@code <taskId> <generation>} from the first {@code length} bytes of {@code line}
   * (no {@code \n}; one trailing {@code \r} is allowed). Tokens are separated by spaces or tabs;
   * anything else, including bytes that are not UTF-8, is empty.
   */
  static Optional<TaskGeneration> parse(byte[] line, int length) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(line, 0, length)).toString();
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    String[] tokens = text.strip().split("[ \t]+");
    if (tokens.length != 2 || !wellFormedTaskId(tokens[0])) {
      return Optional.empty();
    }
    return parseGeneration(tokens[1]).map(g -> new TaskGeneration(tokens[0], g));
  }

  /** Whether a reporter can send {@code taskId} with any generation: well formed and short. */
  static boolean validTaskId(String taskId) {
    return wellFormedTaskId(taskId)
        && taskId.getBytes(StandardCharsets.UTF_8).length <= MAX_TASK_ID_BYTES;
  }

  private static boolean wellFormedTaskId(String taskId) {
    return !taskId.isEmpty() && taskId.codePoints()
        .noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
  }

  private static Optional<Long> parseGeneration(String token) {
    // Long.parseLong alone would take "+3" and "-3".
    if (token.isEmpty() || !token.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(token));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
