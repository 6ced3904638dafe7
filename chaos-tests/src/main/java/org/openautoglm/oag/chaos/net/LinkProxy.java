package org.openautoglm.oag.chaos.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
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

  private final InetSocketAddress target;
  private final RandomGenerator random; // guarded by itself: links on both workers draw from it
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  /** Every open socket: the listener and both ends of each link; closed ones drop out. */
  private final ChannelGroup channels =
      new DefaultChannelGroup("oag-link-proxy", GlobalEventExecutor.INSTANCE);
  private final Set<ProxiedLink> links = ConcurrentHashMap.newKeySet();
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
    for (ProxiedLink link : links) {
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
      ProxiedLink.resetNow(inbound);
      resets.incrementAndGet();
      return;
    }
    NioSocketChannel outbound = new NioSocketChannel();
    outbound.config().setAutoRead(false).setAllowHalfClosure(true).setTcpNoDelay(true);
    channels.add(outbound);
    ProxiedLink link = new ProxiedLink(inbound, outbound, target, this::nextDelayNanos);
    links.add(link);
    inbound.closeFuture().addListener(f -> links.remove(link));
    link.open();
  }

  /** A chunk's delay under the current latency; called by the links of both workers. */
  private long nextDelayNanos() {
    Delay d = delay;
    if (d.jitterNanos() == 0) {
      return d.baseNanos();
    }
    synchronized (random) {
      return d.baseNanos() + random.nextLong(d.jitterNanos() + 1);
    }
  }

  private static EventLoopGroup eventLoops(int threads, InetSocketAddress target, String role) {
    return new MultiThreadIoEventLoopGroup(threads,
        new DefaultThreadFactory("oag-link-proxy-" + target.getPort() + "-" + role, true),
        NioIoHandler.newFactory());
  }

  static String hostPort(InetSocketAddress address) {
    return address == null ? "none" : address.getHostString() + ":" + address.getPort();
  }

  /** A chunk's delay: {@code base} plus a uniform draw from [0, jitter], in nanoseconds. */
  private record Delay(long baseNanos, long jitterNanos) {
    static final Delay NONE = new Delay(0, 0);
  }
}
