package org.openautoglm.oag.chaos.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied connection of a {@link LinkProxy}: the client's socket and ours to the target,
 * both on the client socket's event loop, this handler in both pipelines; all its methods but
 * {@link #reset()} run on that loop, so its two {@link DelayedDirection}s never race.
 *
 * <p>A FIN is passed on after the data before it (half-close); a side that closes has the
 * other closed once its data is out; a side that fails (a reset, an I/O error) has the other
 * reset. When the target cannot be reached the client's connection is reset.
 */
@Sharable
final class ProxiedLink extends ChannelInboundHandlerAdapter {

  // The proxy's logger: its links' events belong to it.
  private static final Logger log = LoggerFactory.getLogger(LinkProxy.class);

  private final SocketChannel inbound;
  private final SocketChannel outbound;
  private final InetSocketAddress target;
  private final DelayedDirection up;
  private final DelayedDirection down;
  private final AtomicBoolean resetting = new AtomicBoolean();

  /**
   * @param inbound the accepted client socket, registered on its event loop
   * @param outbound a new, unregistered socket for {@code target}; {@link #open()} registers
   *     it on {@code inbound}'s loop
   * @param delayNanos draws each chunk's delay, for both directions; thread-safe
   */
  ProxiedLink(SocketChannel inbound, SocketChannel outbound, InetSocketAddress target,
      LongSupplier delayNanos) {
    this.inbound = inbound;
    this.outbound = outbound;
    this.target = target;
    this.up = new DelayedDirection(inbound, outbound, delayNanos);
    this.down = new DelayedDirection(outbound, inbound, delayNanos);
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
          LinkProxy.hostPort(target), connecting.cause().toString());
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

  /** Resets {@code channel} (TCP RST: SO_LINGER 0, then close) if it is still open. */
  static void resetNow(Channel channel) {
    if (channel.isOpen()) {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      channel.close();
    }
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
      from(ctx.channel()).endWhenDrained(DelayedDirection.Ending.SHUTDOWN_OUTPUT);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    into(ctx.channel()).discard();
    from(ctx.channel()).endWhenDrained(DelayedDirection.Ending.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("event=link_proxy_link_failed side={} cause=\"{}\"",
        ctx.channel() == inbound ? "client" : "target", cause.toString());
    reset();
  }

  private DelayedDirection from(Channel channel) {
    return channel == inbound ? up : down;
  }

  private DelayedDirection into(Channel channel) {
    return channel == inbound ? down : up;
  }
}
