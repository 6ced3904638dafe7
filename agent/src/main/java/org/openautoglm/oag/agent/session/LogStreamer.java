package org.openautoglm.oag.agent.session;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.agent.v1.LogData;
import org.openautoglm.oag.agent.v1.LogRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link LogRequest}s: the last {@code tail_bytes} of an allocation's stdout or
 * stderr in {@link LogData} chunks of at most {@value #CHUNK} bytes, then, with {@code
 * follow}, what is appended, until the request is cancelled, its session ends or the
 * allocation is forgotten; the last message has {@code end}. A request for an allocation the
 * agent does not know gets one message with {@code error} and {@code end}.
 *
 * <p>Why polling: output goes straight from the processes to files, so there is nothing to be
 * told about; every {@code poll} one task on the shared scheduler reads each open request's
 * file forward. A request sends at most {@value #CHUNKS_PER_POLL} chunks per poll and none
 * while its stream is not ready, so a large tail or a slow coordinator cannot fill the
 * agent's memory.
 *
 * <p>Thread-safe: requests arrive on the link's thread and are served on the scheduler.
 */
public final class LogStreamer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogStreamer.class);
  static final int CHUNK = 64 * 1024;
  static final int CHUNKS_PER_POLL = 16;
  /** Requests served at once; more are refused with an error. */
  static final int MAX_REQUESTS = 64;

  /** Where an allocation's output is. */
  public interface OutputFiles {
    /**
     * The output file of an allocation this host has (running, or ended and kept on disk), or
     * empty when it has none by that id.
     */
    Optional<Path> output(String allocationId, boolean stderr);

    /** Whether the allocation may still write output (a follow ends at the end of one that may not). */
    boolean running(String allocationId);
  }

  private final class Request {
    final LogRequest request;
    final LogSink sink;
    final LogReader reader;
    boolean done;

    Request(LogRequest request, LogSink sink, LogReader reader) {
      this.request = request;
      this.sink = sink;
      this.reader = reader;
    }

    /** Sends what is due; ends the request when it is over. Serialized per request. */
    synchronized void pump() {
      if (done) {
        return;
      }
      if (!sink.isOpen()) {
        finish(null, false);
        return;
      }
      byte[] buffer = new byte[CHUNK];
      for (int i = 0; i < CHUNKS_PER_POLL && sink.isReady(); i++) {
        int n;
        try {
          n = reader.read(buffer);
        } catch (IOException e) {
          finish("read failed: " + e.getMessage(), true);
          return;
        }
        if (n == 0) {
          if (!request.getFollow() || !files.running(request.getAllocationId())) {
            finish(null, true);
          }
          return;
        }
        sink.send(LogData.newBuilder().setRequestId(request.getRequestId())
            .setData(ByteString.copyFrom(buffer, 0, n)).build());
      }
    }

    synchronized void finish(String error, boolean send) {
      if (done) {
        return;
      }
      done = true;
      requests.remove(request.getRequestId(), this);
      closeQuietly(reader);
      if (send) {
        sink.send(end(request.getRequestId(), error));
      }
    }
  }

  private final ScheduledExecutorService scheduler;
  private final OutputFiles files;
  private final LogReader.Opener opener;
  private final Map<Long, Request> requests = new ConcurrentHashMap<>();
  private final ScheduledFuture<?> polling;

  /** Polls every {@code poll} on {@code scheduler}, which it shares and does not own. */
  public LogStreamer(ScheduledExecutorService scheduler, Duration poll, OutputFiles files,
      LogReader.Opener opener) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.files = Objects.requireNonNull(files, "files");
    this.opener = Objects.requireNonNull(opener, "opener");
    this.polling = scheduler.scheduleWithFixedDelay(this::pollAll, poll.toNanos(), poll.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** Starts, replaces or cancels the request. Returns at once. */
  public void handle(LogRequest r, LogSink sink) {
    long id = r.getRequestId();
    if (r.getCancel()) {
      Request old = requests.get(id);
      if (old != null) {
        old.finish(null, true);
      } else {
        sink.send(end(id, null));
      }
      return;
    }
    String allocationId = r.getAllocationId();
    Optional<Path> file = validId(allocationId) ? files.output(allocationId, r.getStderr())
        : Optional.empty();
    if (file.isEmpty()) {
      log.warn("event=log_request_rejected request={} alloc=\"{}\" reason=\"unknown allocation\"",
          id, allocationId);
      sink.send(end(id, "unknown allocation: " + allocationId));
      return;
    }
    if (requests.size() >= MAX_REQUESTS && !requests.containsKey(id)) {
      sink.send(end(id, "too many log requests on this agent (" + MAX_REQUESTS + ")"));
      return;
    }
    LogReader reader;
    try {
      reader = opener.open(file.get(), r.getTailBytes());
    } catch (IOException e) {
      sink.send(end(id, "cannot read " + file.get().getFileName() + ": " + e.getMessage()));
      return;
    }
    Request request = new Request(r, sink, reader);
    Request replaced = requests.put(id, request);
    if (replaced != null) {
      replaced.finish(null, false);
    }
    try {
      scheduler.execute(request::pump);
    } catch (RejectedExecutionException e) {
      request.finish(null, false);
    }
  }

  /** Drops every request: their session is gone, so nothing more can be sent for them. */
  public void sessionEnded() {
    for (Request r : requests.values()) {
      r.finish(null, false);
    }
  }

  /** How many requests are being served. */
  public int active() {
    return requests.size();
  }

  @Override
  public void close() {
    polling.cancel(false);
    sessionEnded();
  }

  private void pollAll() {
    for (Request r : requests.values()) {
      try {
        r.pump();
      } catch (RuntimeException e) {
        log.error("event=log_request_failed request={}", r.request.getRequestId(), e);
        r.finish("internal error: " + e, true);
      }
    }
  }

  private static boolean validId(String id) {
    return !id.isEmpty() && !id.contains("/") && !id.equals(".") && !id.equals("..")
        && id.indexOf('\0') < 0;
  }

  private static LogData end(long requestId, String error) {
    LogData.Builder b = LogData.newBuilder().setRequestId(requestId).setEnd(true);
    if (error != null) {
      b.setError(error);
    }
    return b.build();
  }

  private static void closeQuietly(LogReader reader) {
    try {
      reader.close();
    } catch (IOException e) {
      log.debug("event=log_reader_not_closed", e);
    }
  }
}
