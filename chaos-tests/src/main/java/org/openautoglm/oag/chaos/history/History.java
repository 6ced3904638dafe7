package org.openautoglm.oag.chaos.history;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The record of what clients and the nemesis did, Jepsen-style: append-only, in memory in
 * recording order and, for {@link #create}, also one JSON line per op in a file, flushed per
 * line so that a harness crash keeps everything recorded before it (flushed to the OS, not
 * fsynced: a machine crash may lose the tail).
 *
 * <p>Thread-safe: every recording method stamps the time and appends under one lock, so on a
 * monotonic clock op times never decrease in recording order. Recording after {@link
 * #close()} throws {@link IllegalStateException}; close it once the workers and the nemesis
 * have stopped. A failed write throws {@link UncheckedIOException} (the op stays in memory).
 */
public final class History implements AutoCloseable {

  private final LongSupplier clock;
  private final long start;
  private final Writer out;
  private final List<Op> ops = new ArrayList<>();
  private boolean closed;

  private History(LongSupplier clock, Writer out) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.start = clock.getAsLong();
    this.out = out;
  }

  /**
   * A history written to {@code jsonLines} (created or truncated, parent directories made),
   * timed by {@code nanoClock} (e.g. {@code System::nanoTime}) from now. Throws {@link
   * UncheckedIOException} when the file cannot be opened.
   */
  public static History create(Path jsonLines, LongSupplier nanoClock) {
    try {
      Path parent = jsonLines.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      BufferedWriter w = Files.newBufferedWriter(jsonLines, StandardCharsets.UTF_8);
      return new History(nanoClock, w);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open history " + jsonLines, e);
    }
  }

  /** A history kept only in memory (tests, checkers fed by hand). */
  public static History inMemory(LongSupplier nanoClock) {
    return new History(nanoClock, null);
  }

  /** Nanoseconds since this history started. */
  public long now() {
    return clock.getAsLong() - start;
  }

  /** A client process starts an operation. */
  public Op invoke(int process, String f, String key) {
    return record(client(process), OpType.INVOKE, f, key, null, null);
  }

  /** A client process starts an operation that carries {@code value}, e.g. its request id. */
  public Op invoke(int process, String f, String key, String value) {
    return record(client(process), OpType.INVOKE, f, key, value, null);
  }

  /** The process's outstanding operation definitely happened; {@code value} e.g. a task id. */
  public Op ok(int process, String f, String key, String value) {
    return record(client(process), OpType.OK, f, key, value, null);
  }

  /** The process's outstanding operation definitely did not happen. */
  public Op fail(int process, String f, String key, String error) {
    return record(client(process), OpType.FAIL, f, key, null, error);
  }

  /** The process's outstanding operation may or may not have happened. */
  public Op info(int process, String f, String key, String error) {
    return record(client(process), OpType.INFO, f, key, null, error);
  }

  /** A fault starts ({@link Op#INJECT}) or ends ({@link Op#HEAL}) on {@code target}. */
  public Op nemesis(String fault, String target, String phase) {
    if (!Op.INJECT.equals(phase) && !Op.HEAL.equals(phase)) {
      throw new IllegalArgumentException("phase must be inject or heal: " + phase);
    }
    return record(Op.NEMESIS, OpType.INFO, fault, target, phase, null);
  }

  /** A copy of the ops recorded so far, in recording order. */
  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  /**
   * The ops in a file written by {@link #create}, in order. A last line cut short (the
   * harness died mid-write) is left out; any other malformed line throws {@link IOException}.
   */
  public static List<Op> read(Path jsonLines) throws IOException {
    String text = Files.readString(jsonLines, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    List<Op> result = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      boolean unterminated = i == lines.length - 1;
      try {
        result.add(OpJson.read(line));
      } catch (IllegalArgumentException e) {
        if (unterminated) {
          break;
        }
        throw new IOException(jsonLines + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return result;
  }

  /** Flushes and closes the file, if any. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static int client(int process) {
    if (process < 0) {
      throw new IllegalArgumentException("client process must be >= 0: " + process);
    }
    return process;
  }

  private synchronized Op record(
      int process, OpType type, String f, String key, String value, String error) {
    if (closed) {
      throw new IllegalStateException("history closed");
    }
    Op op = new Op(now(), process, type, f, key, value, error);
    ops.add(op);
    if (out != null) {
      try {
        out.write(OpJson.write(op));
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return op;
  }
}
