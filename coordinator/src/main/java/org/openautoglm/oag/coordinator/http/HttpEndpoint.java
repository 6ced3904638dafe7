package org.openautoglm.oag.coordinator.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 surface of one coordinator node, on plain Netty.
 *
 * <p>Resources, all GET-only (another method on one of them is 405 with {@code Allow: GET}):
 * <ul>
 *   <li>{@code /metrics}: 200, {@link PrometheusMeterRegistry#scrape()} as
 *       {@code text/plain; version=0.0.4; charset=utf-8}.
 *   <li>{@code /healthz}: 200 {@code {"status":"ok","node":"<id>"}} as long as the server
 *       runs; it consults nothing (liveness).
 *   <li>{@code /readyz}: 200 {@code {"status":"ready","node":..}} when the readiness check says
 *       so, else 503 {@code {"status":"not_ready","node":..,"reason":..}}; a check that throws or
 *       returns null reads as not ready.
 *   <li>{@code /v1/cluster}: 200 with the supplier's JSON as is; 503 when it returns null, 500
 *       when it throws; 404 when no supplier was given.
 * </ul>
 * Any other path is 404 JSON whatever the method; the query string is ignored. A body over 64 KiB
 * is 413; a request line or headers over the codec's limits (4 KiB, 8 KiB) are 413 and the
 * connection closes; bytes that are not HTTP close their connection with no answer; a connection
 * idle for 60 s is closed. None of these affects other connections.
 *
 * <p>Threading: one acceptor and one I/O thread, daemons named {@code oag-http-<node>-*}. The
 * suppliers and the scrape run on the I/O thread, so they must be quick and never block (read
 * local state; do not wait on Raft): while one runs, every other request waits.
 *
 * <p>Lifecycle: {@link #start} returns once the port is bound, or throws {@link IOException}
 * having released its threads. {@link #close} is idempotent and returns once both threads have
 * stopped and the port is free; do not call it from a supplier.
 */
public final class HttpEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);

  private final String nodeId;
  private final EventLoopGroup boss;
  private final EventLoopGroup worker;
  private final Channel serverChannel;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HttpEndpoint(String nodeId, EventLoopGroup boss, EventLoopGroup worker,
      Channel serverChannel) {
    this.nodeId = nodeId;
    this.boss = boss;
    this.worker = worker;
    this.serverChannel = serverChannel;
    this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /**
   * Binds {@code host:port} (port 0: an ephemeral one, see {@link #port()}) and starts serving.
   *
   * @param readiness asked on every {@code /readyz}; not null
   * @param clusterJson asked on every {@code /v1/cluster}; null turns that resource off (404)
   * @throws IOException when the address cannot be bound, e.g. the port is taken
   */
  public static HttpEndpoint start(String host, int port, String nodeId,
      PrometheusMeterRegistry registry, Supplier<Readiness> readiness,
      Supplier<String> clusterJson) throws IOException {
    Objects.requireNonNull(host, "host");
    HttpRoutes routes = new HttpRoutes(nodeId, registry, readiness, clusterJson);
    EventLoopGroup boss = eventLoop(nodeId, "boss");
    EventLoopGroup worker = eventLoop(nodeId, "worker");
    ChannelFuture bound = new ServerBootstrap()
        .group(boss, worker)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new HttpPipeline(new HttpRequestHandler(nodeId, routes)))
        .bind(host, port)
        .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutDown(boss, worker);
      throw new IOException("node " + nodeId + " cannot serve HTTP on " + host + ":" + port
          + ": " + bound.cause().getMessage(), bound.cause());
    }
    HttpEndpoint endpoint = new HttpEndpoint(nodeId, boss, worker, bound.channel());
    log.info("event=http_started node={} host={} port={}", nodeId, host, endpoint.port);
    return endpoint;
  }

  /** The port actually bound; stays valid after {@link #close()}. */
  public int port() {
    return port;
  }

  /** Stops accepting, closes open connections and stops both threads; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    serverChannel.close().awaitUninterruptibly();
    shutDown(boss, worker);
    log.info("event=http_stopped node={} port={}", nodeId, port);
  }

  private static EventLoopGroup eventLoop(String nodeId, String role) {
    return new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("oag-http-" + nodeId + "-" + role, true),
        NioIoHandler.newFactory());
  }

  private static void shutDown(EventLoopGroup... groups) {
    // No quiet period: nothing is queued that must still run once the channels are closed.
    for (EventLoopGroup group : groups) {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }
    for (EventLoopGroup group : groups) {
      group.terminationFuture().awaitUninterruptibly();
    }
  }
}
