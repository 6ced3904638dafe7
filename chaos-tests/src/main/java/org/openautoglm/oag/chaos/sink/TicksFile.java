package org.openautoglm.oag.chaos.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ticks file: one JSON line {@code {"time":..,"task":..,"generation":..}} per tick, in the
 * order {@link #append} was called.
 *
 * <p>Threading: all methods are safe from any thread. Lines are buffered and flushed every
 * {@code flushEvery} by one daemon thread, and on {@link #close}.
 *
 * <p>Failure: the first write error is logged and kept, later lines are dropped, and {@link
 * #close} throws it, so a lost tail is never silent.
 */
final class TicksFile implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TicksFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final BufferedWriter out;
  private final ScheduledExecutorService flusher;
  private IOException failure;
  private boolean closed;

  private TicksFile(Path path, BufferedWriter out, Duration flushEvery) {
    this.path = path;
    this.out = out;
    this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "oag-tick-sink-flush");
      t.setDaemon(true);
      return t;
    });
    long millis = flushEvery.toMillis();
    flusher.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Creates {@code path}, or empties it: a sink's file holds that sink's ticks only. */
  static TicksFile open(Path path, Duration flushEvery) throws IOException {
    BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    return new TicksFile(path, out, flushEvery);
  }

  synchronized void append(long time, String taskId, long generation) {
    if (closed || failure != null) {
      return;
    }
    try {
      out.write(line(time, taskId, generation));
      out.write('\n');
    } catch (IOException e) {
      fail(e);
    }
  }

  synchronized void flush() {
    if (closed || failure != null) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      fail(e);
    }
  }

  /**
   * Flushes and closes the file; idempotent.
   *
   * @throws UncheckedIOException when any line could not be written
   */
  @Override
  public void close() {
    flusher.shutdownNow();
    synchronized (this) {
      if (!closed) {
        closed = true;
        try (out) {
          if (failure == null) {
            out.flush();
          }
        } catch (IOException e) {
          fail(e);
        }
      }
      if (failure != null) {
        throw new UncheckedIOException("ticks file " + path + " is incomplete", failure);
      }
    }
  }

  private static String line(long time, String taskId, long generation) {
    try {
      return JSON.writeValueAsString(JSON.createObjectNode()
          .put("time", time).put("task", taskId).put("generation", generation));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tick cannot fail to serialise", e);
    }
  }

  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
      log.warn("event=ticks_file_failed path={}", path, e);
    }
  }
}
