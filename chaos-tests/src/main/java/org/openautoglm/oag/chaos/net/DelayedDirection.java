package org.openautoglm.oag.chaos.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One direction of a {@link ProxiedLink}: chunks read from {@code from} are written to
 * {@code to}, each once its delay is over and never before an earlier one. Runs on the link's
 * event loop only.
 *
 * <p>It stops reading from {@code from} while {@code to} cannot take more (its send buffer is
 * full, or {@link #DELAYED_HIGH_WATER} bytes wait out their latency), so a slow reader holds
 * back the writer instead of filling this process's memory.
 */
final class DelayedDirection {

  /** Delayed bytes of one direction beyond which it stops reading. */
  private static final int DELAYED_HIGH_WATER = 1 << 20;

  /** What a direction passes on once its delayed chunks are out. */
  enum Ending { NONE, SHUTDOWN_OUTPUT, CLOSE }

  /** A chunk waiting out its latency, due at a {@link System#nanoTime()} value. */
  private record Chunk(ByteBuf data, long dueNanos) {}

  private final SocketChannel from;
  private final SocketChannel to;
  /** Draws each chunk's delay; may be called from any link's event loop. */
  private final LongSupplier delayNanos;
  private final ArrayDeque<Chunk> delayed = new ArrayDeque<>();
  private long delayedBytes;
  private long lastDueNanos;
  private boolean drainScheduled;
  private Ending ending = Ending.NONE;

  /**
   * @param delayNanos draws the delay of each chunk read, in nanoseconds (the proxy's current
   *     latency and jitter); thread-safe, since the links of both event loops share it
   */
  DelayedDirection(SocketChannel from, SocketChannel to, LongSupplier delayNanos) {
    this.from = from;
    this.to = to;
    this.delayNanos = delayNanos;
  }

  void relay(ByteBuf data) {
    if (!to.isActive()) {
      data.release();
      return;
    }
    long lag = delayNanos.getAsLong();
    if (lag == 0 && delayed.isEmpty()) {
      to.writeAndFlush(data, to.voidPromise());
      return;
    }
    long due = System.nanoTime() + lag;
    if (due - lastDueNanos < 0) {
      due = lastDueNanos; // a shorter draw must not overtake the chunk before it
    }
    lastDueNanos = due;
    delayed.add(new Chunk(data, due));
    delayedBytes += data.readableBytes();
    scheduleDrain();
    updateReading();
  }

  /** Reads from {@code from} only while {@code to} can take more. */
  void updateReading() {
    boolean read = to.isWritable() && delayedBytes < DELAYED_HIGH_WATER;
    if (from.config().isAutoRead() != read) {
      from.config().setAutoRead(read);
    }
  }

  /** Passes {@code end} on to {@code to} once every delayed chunk has been written. */
  void endWhenDrained(Ending end) {
    if (end.compareTo(ending) > 0) {
      ending = end;
    }
    if (delayed.isEmpty()) {
      passOnEnding();
    }
  }

  /** Drops the delayed chunks: {@code to} has closed. */
  void discard() {
    Chunk chunk;
    while ((chunk = delayed.poll()) != null) {
      chunk.data().release();
    }
    delayedBytes = 0;
  }

  private void scheduleDrain() {
    if (drainScheduled) {
      return;
    }
    drainScheduled = true;
    long wait = delayed.element().dueNanos() - System.nanoTime();
    from.eventLoop().schedule(this::drain, Math.max(0, wait), TimeUnit.NANOSECONDS);
  }

  private void drain() {
    drainScheduled = false;
    long now = System.nanoTime();
    boolean wrote = false;
    while (!delayed.isEmpty() && delayed.element().dueNanos() - now <= 0) {
      Chunk chunk = delayed.remove();
      delayedBytes -= chunk.data().readableBytes();
      to.write(chunk.data(), to.voidPromise());
      wrote = true;
    }
    if (wrote) {
      to.flush();
    }
    if (delayed.isEmpty()) {
      passOnEnding();
    } else {
      scheduleDrain();
    }
    updateReading();
  }

  private void passOnEnding() {
    Ending end = ending;
    ending = Ending.NONE;
    // Shutting down or closing at once would drop what is still in to's outbound buffer.
    switch (end) {
      case NONE -> { }
      case SHUTDOWN_OUTPUT -> to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
        to.shutdownOutput();
        if (from.isOutputShutdown()) {
          from.close(); // both sides have half-closed: the link is over
          to.close();
        }
      });
      case CLOSE -> to.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }
}
