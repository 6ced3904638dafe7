package org.openautoglm.oag.chaos.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The harness-owned service that task processes report ticks to, so that each run's live
 * interval is known on the harness's clock even when the run was killed with SIGKILL.
 *
 * <p>Protocol: plain TCP, one long-lived connection per reporter, one line per tick, {@code
 * <taskId> <generation>\n} (UTF-8; see {@link #reporterCommand()} for the bash side). Every
 * tick is stamped with {@code nanoClock} when its line has been read. A line that does not
 * parse is counted in {@link #malformed()} and skipped; a line over 512 bytes is counted and
 * drops its connection. Neither affects other connections. A silent connection is kept (a
 * paused reporter is not a dead one).
 *
 * <p>Threading: one daemon accept thread and one daemon thread per connection, all named
 * {@code oag-tick-sink-*}; the queries are safe from any thread and never block on I/O. Ticks
 * are stamped and written to the ticks file under one lock, so that file is in clock order;
 * {@link #onTick} listeners are called under that lock too, so each sees ticks in clock order.
 *
 * <p>Lifecycle: {@link #start} returns once the port is bound. {@link #close} is idempotent and
 * returns once every connection thread has stopped, so no tick is recorded after it; the
 * queries keep answering from what was recorded.
 */
public final class TickSink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TickSink.class);
  private static final Duration FLUSH_EVERY = Duration.ofMillis(100);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
  private static final Comparator<Life> BY_FIRST_TICK = Comparator
      .comparingLong(Life::firstTick)
      .thenComparing(Life::taskId)
      .thenComparingLong(Life::generation);

  private final ServerSocket server;
  private final InetSocketAddress address;
  private final LongSupplier clock;
  private final TicksFile ticksFile;
  private final Object stampLock = new Object();
  private final Map<TaskGeneration, Life> lives = new ConcurrentHashMap<>();
  private final LongAdder ticks = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final Map<TickConnection, Thread> connections = new ConcurrentHashMap<>();
  private final List<Consumer<Tick>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong connectionIds = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread acceptor;

  private TickSink(ServerSocket server, LongSupplier clock, TicksFile ticksFile) {
    this.server = server;
    this.address = (InetSocketAddress) server.getLocalSocketAddress();
    this.clock = clock;
    this.ticksFile = ticksFile;
    this.acceptor = new Thread(this::acceptLoop, "oag-tick-sink-accept");
    acceptor.setDaemon(true);
  }

  /**
   * Listens on {@code bind} (port 0: an ephemeral one, see {@link #address()}).
   *
   * @param bind an address the reporters can reach: {@link #reporterCommand()} connects to it,
   *     so the wildcard address only serves reporters on this host
   * @param nanoClock the harness's monotonic clock in nanos, e.g. {@code History::now}
   * @param ticksFile when not null, created or emptied, and every tick is appended to it as a
   *     JSON line {@code {"time":..,"task":..,"generation":..}}, flushed every 100 ms and on close
   * @throws IOException when the address cannot be bound or the file cannot be opened
   */
  public static TickSink start(InetSocketAddress bind, LongSupplier nanoClock, Path ticksFile)
      throws IOException {
    TicksFile file = ticksFile == null ? null : TicksFile.open(ticksFile, FLUSH_EVERY);
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(bind);
    } catch (IOException e) {
      server.close();
      if (file != null) {
        file.close();
      }
      throw new IOException("tick sink cannot listen on " + bind + ": " + e.getMessage(), e);
    }
    TickSink sink = new TickSink(server, nanoClock, file);
    sink.acceptor.start();
    log.info("event=tick_sink_started address={} ticks_file={}", sink.address, ticksFile);
    return sink;
  }

  /** The address actually bound; stays valid after {@link #close()}. */
  public InetSocketAddress address() {
    return address;
  }

  /** Every (task, generation) seen so far, ordered by first tick (then task id, generation). */
  public List<Life> lives() {
    return lives.values().stream().sorted(BY_FIRST_TICK).toList();
  }

  /** The run of one task generation, if it has ticked. */
  public Optional<Life> life(String taskId, long generation) {
    return Optional.ofNullable(lives.get(new TaskGeneration(taskId, generation)));
  }

  /** Ticks recorded so far, over all connections. */
  public long ticks() {
    return ticks.sum();
  }

  /** Lines skipped as malformed so far, oversized ones included. */
  public long malformed() {
    return malformed.sum();
  }

  /**
   * argv for a process that reports ticks every 50 ms to this sink, reading {@code OAG_TASK_ID}
   * and {@code OAG_ALLOC_GENERATION} from its environment: {@code ["bash", "-c", script]}. It
   * runs until killed, and exits non-zero when a variable is unset, the sink cannot be reached
   * or a write fails (the sink closed), so it ticks exactly as long as it runs.
   */
  public List<String> reporterCommand() {
    return ReporterScript.fromEnvironment(address);
  }

  /**
   * As {@link #reporterCommand()} with a fixed task id and generation, for tests and for tasks
   * started without those variables.
   *
   * @throws IllegalArgumentException when the task id is empty, holds whitespace or control
   *     characters, or is over 492 bytes, or the generation is negative
   */
  public List<String> reporterCommand(String taskId, long generation) {
    return ReporterScript.fixed(address, taskId, generation);
  }

  /**
   * As {@link #reporterCommand()}, and once its first tick is written the process creates
   * {@code readyFile} (a plain file name) in its working directory: a readiness check such as
   * {@code test -f ready} then passes only for a run that is ticking.
   *
   * @throws IllegalArgumentException when {@code readyFile} is empty, holds a {@code /} or
   *     starts with {@code -}
   */
  public List<String> reporterCommand(String readyFile) {
    return ReporterScript.marking(address, readyFile);
  }

  /**
   * Calls {@code listener} with every tick from now on, on the connection's thread, under the
   * stamping lock (so in clock order, and it must return quickly), until the returned handle is
   * closed. A listener that throws is logged and removed.
   */
  public Listening onTick(Consumer<Tick> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** A listener's registration; closing it (idempotent) stops the calls. */
  public interface Listening extends AutoCloseable {
    @Override
    void close();
  }

  /** Connections open now; for tests. */
  int openConnections() {
    return connections.size();
  }

  /**
   * Stops listening, closes every connection, waits for their threads and flushes and closes
   * the ticks file; idempotent.
   *
   * @throws UncheckedIOException when the ticks file could not be fully written
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      log.warn("event=tick_sink_close_failed address={}", address, e);
    }
    join(acceptor);
    // The acceptor is gone, so no connection is added from here on.
    connections.keySet().forEach(TickConnection::close);
    connections.values().forEach(TickSink::join);
    log.info("event=tick_sink_stopped address={} ticks={} malformed={} lives={}",
        address, ticks(), malformed(), lives.size());
    if (ticksFile != null) {
      ticksFile.close();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          log.warn("event=tick_sink_accept_failed address={}", address, e);
        }
        continue;
      }
      serve(socket);
    }
  }

  private void serve(Socket socket) {
    try {
      socket.setKeepAlive(true);
    } catch (IOException e) {
      log.debug("event=tick_keepalive_failed remote={}", socket.getRemoteSocketAddress(), e);
    }
    TickConnection connection = new TickConnection(socket, this::record, malformed::increment);
    Thread thread = new Thread(() -> {
      try {
        connection.run();
      } finally {
        connections.remove(connection);
      }
    }, "oag-tick-sink-conn-" + connectionIds.incrementAndGet());
    thread.setDaemon(true);
    connections.put(connection, thread);
    thread.start();
  }

  private void record(TaskGeneration tick) {
    long now;
    synchronized (stampLock) {
      now = clock.getAsLong();
      if (ticksFile != null) {
        ticksFile.append(now, tick.taskId(), tick.generation());
      }
      notifyListeners(new Tick(tick.taskId(), tick.generation(), now));
    }
    // Two connections may stamp the same run out of order here: keep the extremes.
    lives.merge(tick, new Life(tick.taskId(), tick.generation(), now, now, 1),
        (seen, next) -> new Life(seen.taskId(), seen.generation(),
            Math.min(seen.firstTick(), now), Math.max(seen.lastTick(), now),
            seen.ticks() + 1));
    ticks.increment();
  }

  private void notifyListeners(Tick tick) {
    for (Consumer<Tick> l : listeners) {
      try {
        l.accept(tick);
      } catch (RuntimeException e) {
        listeners.remove(l);
        log.warn("event=tick_listener_failed listener={} removed=true", l, e);
      }
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(JOIN_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("event=tick_sink_thread_stuck thread={}", thread.getName());
    }
  }
}
