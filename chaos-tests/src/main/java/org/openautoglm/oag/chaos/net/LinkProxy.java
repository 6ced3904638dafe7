package org.openautoglm.oag.chaos.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy in front of one node's port, for the client and agent links of a chaos test:
 * clients connect to {@link #address()} instead of the node, and the faults on those links
 * change while the test runs: latency and jitter ({@link #latency}), a reset of every open
 * connection ({@link #resetAll()}) and a reset of every new one ({@link #refuse}).
 *
 * <p>Each proxied connection (a link) is the client's socket and one to the target, both
 * served by one event-loop thread, so its two directions never race. A chunk is delayed but
 * never overtakes an earlier one of the same direction. A direction stops reading while the
 * other socket cannot take more (its send buffer is full, or 1 MiB waits out its latency), so
 * a slow reader holds back the writer instead of filling this process's memory. A FIN is
 * passed on after the data before it (half-close); a side that closes has the other closed
 * once its data is out; a side that fails (a reset, an I/O error) has the other reset. When
 * the target cannot be reached the client's connection is reset.
 *
 * <p>Thread-safe. A fault setting applies to chunks read and connections accepted after it
 * returns. Threads: one acceptor and two I/O threads, daemons named
 * {@code oag-link-proxy-<target port>-*}; {@link #close()} stops them.
 */
public final class LinkProxy implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LinkProxy.class);

  private static final int WORKER_THREADS = 2;
  /** Delayed bytes of one direction beyond which it stops reading. */
  private static final int DELAYED_HIGH_WATER = 1 << 20;

  private final InetSocketAddress target;
  private final RandomGenerator random; // guarded by itself: links on both workers draw from it
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  /** Every open socket: the listener and both ends of each link; closed ones drop out. */
  private final ChannelGroup channels =
      new DefaultChannelGroup("oag-link-proxy", GlobalEventExecutor.INSTANCE);
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong resets = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Delay delay = Delay.NONE;
  private volatile boolean refusing;
  private volatile InetSocketAddress address;

  private LinkProxy(InetSocketAddress target, RandomGenerator random) {
    this.target = target;
    this.random = random;
    this.boss = eventLoops(1, target, "boss");
    this.workers = eventLoops(WORKER_THREADS, target, "worker");
  }

  /** {@link #start(InetSocketAddress, InetSocketAddress, RandomGenerator)}, jitter unseeded. */
  public static LinkProxy start(InetSocketAddress listen, InetSocketAddress target)
      throws IOException {
    return start(listen, target, new SplittableRandom());
  }

  /**
   * Binds {@code listen} (port 0: an ephemeral one, see {@link #address()}) and relays every
   * connection to {@code target}, with no faults yet.
   *
   * @param random draws the jitter; seeded, it repeats the draws (their order across links
   *     follows the order chunks arrive in)
   * @throws IOException when {@code listen} cannot be bound; the threads are released
   */
  public static LinkProxy start(InetSocketAddress listen, InetSocketAddress target,
      RandomGenerator random) throws IOException {
    LinkProxy proxy = new LinkProxy(target, random);
    ChannelFuture bound = new ServerBootstrap()
        .group(proxy.boss, proxy.workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel inbound) {
            proxy.accept(inbound);
          }
        })
        .bind(listen)
        .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      proxy.close();
      throw new IOException("link proxy cannot listen on " + hostPort(listen) + ": "
          + bound.cause().getMessage(), bound.cause());
    }
    proxy.channels.add(bound.channel());
    proxy.address = (InetSocketAddress) bound.channel().localAddress();
    log.info("event=link_proxy_started listen={} target={}", hostPort(proxy.address),
        hostPort(target));
    return proxy;
  }

  /** The address actually bound; stays valid after {@link #close()}. */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * Delays every chunk, in both directions, by {@code base} plus a uniform draw from
   * [0, {@code jitter}], keeping each direction's order. Zero and zero turns it off; chunks
   * already delayed keep their times.
   */
  public void latency(Duration base, Duration jitter) {
    if (base.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException(
          "latency must not be negative: base=" + base + " jitter=" + jitter);
    }
    delay = new Delay(base.toNanos(), jitter.toNanos());
    log.info("event=link_proxy_latency listen={} base_ms={} jitter_ms={}", hostPort(address),
        base.toMillis(), jitter.toMillis());
  }

  /**
   * Resets every open link on both sides (TCP RST: SO_LINGER 0, then close), so the client
   * and the node both see "connection reset". Returns at once; the resets happen on the links'
   * threads right after.
   */
  public void resetAll() {
    int count = 0;
    for (Link link : links) {
      if (link.reset()) {
        count++;
      }
    }
    resets.addAndGet(count);
    log.info("event=link_proxy_reset_all listen={} links={}", hostPort(address), count);
  }

  /** While true, new connections are accepted and reset at once; open links are kept. */
  public void refuse(boolean refuse) {
    refusing = refuse;
    log.info("event=link_proxy_refuse listen={} refuse={}", hostPort(address), refuse);
  }

  /** Links open now: client connections accepted and not yet closed. */
  public int connections() {
    return links.size();
  }

  /** Connections reset on purpose so far, by {@link #resetAll()} or while refusing. */
  public long resets() {
    return resets.get();
  }

  /** Stops listening, closes every link and stops the threads; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    channels.close().awaitUninterruptibly();
    // No quiet period: once the sockets are closed nothing queued needs to run.
    boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    boss.terminationFuture().awaitUninterruptibly();
    workers.terminationFuture().awaitUninterruptibly();
    if (address != null) {
      log.info("event=link_proxy_stopped listen={}", hostPort(address));
    }
  }

  private void accept(SocketChannel inbound) {
    channels.add(inbound);
    if (refusing) {
      resetNow(inbound);
      resets.incrementAndGet();
      return;
    }
    NioSocketChannel outbound = new NioSocketChannel();
    outbound.config().setAutoRead(false).setAllowHalfClosure(true).setTcpNoDelay(true);
    channels.add(outbound);
    Link link = new Link(inbound, outbound);
    links.add(link);
    inbound.closeFuture().addListener(f -> links.remove(link));
    link.open();
  }

  private long nextDelayNanos() {
    Delay d = delay;
    if (d.jitterNanos() == 0) {
      return d.baseNanos();
    }
    synchronized (random) {
      return d.baseNanos() + random.nextLong(d.jitterNanos() + 1);
    }
  }

  private static void resetNow(Channel channel) {
    if (channel.isOpen()) {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      channel.close();
    }
  }

  private static EventLoopGroup eventLoops(int threads, InetSocketAddress target, String role) {
    return new MultiThreadIoEventLoopGroup(threads,
        new DefaultThreadFactory("oag-link-proxy-" + target.getPort() + "-" + role, true),
        NioIoHandler.newFactory());
  }

  private static String hostPort(InetSocketAddress address) {
    return address == null ? "none" : address.getHostString() + ":" + address.getPort();
  }

  /** A chunk's delay: {@code base} plus a uniform draw from [0, jitter], in nanoseconds. */
  private record Delay(long baseNanos, long jitterNanos) {
    static final Delay NONE = new Delay(0, 0);
  }

  /** A chunk waiting out its latency, due at a {@link System#nanoTime()} value. */
  private record Chunk(ByteBuf data, long dueNanos) {}

  /** What a direction passes on once its delayed chunks are out. */
  private enum Ending { NONE, SHUTDOWN_OUTPUT, CLOSE }

  /**
   * One proxied connection: the client's socket and ours to the target, both on the client
   * socket's event loop, this handler in both pipelines; all its methods but {@link #reset()}
   * run on that loop.
   */
  @Sharable
  private final class Link extends ChannelInboundHandlerAdapter {
    private final SocketChannel inbound;
    private final SocketChannel outbound;
    private final Direction up;
    private final Direction down;
    private final AtomicBoolean resetting = new AtomicBoolean();

    Link(SocketChannel inbound, SocketChannel outbound) {
      this.inbound = inbound;
      this.outbound = outbound;
      this.up = new Direction(inbound, outbound);
      this.down = new Direction(outbound, inbound);
    }

    void open() {
      inbound.pipeline().addLast(this);
      outbound.pipeline().addLast(this);
      inbound.eventLoop().register(outbound).addListener((ChannelFuture registered) -> {
        if (registered.isSuccess()) {
          outbound.connect(target).addListener((ChannelFuture done) -> connected(done));
        } else {
          resetNow(inbound);
        }
      });
    }

    private void connected(ChannelFuture connecting) {
      if (!connecting.isSuccess()) {
        // What the client would see had it connected to a node that then went away.
        log.debug("event=link_proxy_target_unreachable target={} cause=\"{}\"",
            hostPort(target), connecting.cause().toString());
        resetNow(inbound);
      } else if (!inbound.isActive()) {
        outbound.close();
      } else {
        up.updateReading();
        down.updateReading();
      }
    }

    /** Resets both sockets unless that was done already; true if this call did it. */
    boolean reset() {
      if (!resetting.compareAndSet(false, true)) {
        return false;
      }
      inbound.eventLoop().execute(() -> {
        resetNow(inbound);
        resetNow(outbound);
      });
      return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      from(ctx.channel()).relay((ByteBuf) msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      into(ctx.channel()).updateReading();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event == ChannelInputShutdownEvent.INSTANCE) {
        from(ctx.channel()).endWhenDrained(Ending.SHUTDOWN_OUTPUT);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      into(ctx.channel()).discard();
      from(ctx.channel()).endWhenDrained(Ending.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("event=link_proxy_link_failed side={} cause=\"{}\"",
          ctx.channel() == inbound ? "client" : "target", cause.toString());
      reset();
    }

    private Direction from(Channel channel) {
      return channel == inbound ? up : down;
    }

    private Direction into(Channel channel) {
      return channel == inbound ? down : up;
    }
  }

  /**
   * One direction of a link: chunks read from {@code from} are written to {@code to}, each once
   * its delay is over and never before an earlier one. Runs on the link's event loop only.
   */
  private final class Direction {
    private final SocketChannel from;
    private final SocketChannel to;
    private final ArrayDeque<Chunk> delayed = new ArrayDeque<>();
    private long delayedBytes;
    private long lastDueNanos;
    private boolean drainScheduled;
    private Ending ending = Ending.NONE;

    Direction(SocketChannel from, SocketChannel to) {
      this.from = from;
      this.to = to;
    }

    void relay(ByteBuf data) {
      if (!to.isActive()) {
        data.release();
        return;
      }
      long lag = nextDelayNanos();
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
}
