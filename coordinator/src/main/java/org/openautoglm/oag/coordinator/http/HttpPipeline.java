package org.openautoglm.oag.coordinator.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;

/**
 * The handlers of one accepted connection. Limits: the codec's defaults for the request line
 * (4 KiB) and headers (8 KiB); {@link #MAX_CONTENT_BYTES} for a body, past which the aggregator
 * answers 413 itself (empty body) and discards the rest, closing unless the client keeps alive;
 * {@link #IDLE_SECONDS} without a byte read closes the connection.
 */
final class HttpPipeline extends ChannelInitializer<SocketChannel> {

  static final int MAX_CONTENT_BYTES = 64 * 1024;
  static final int IDLE_SECONDS = 60;

  private final HttpRequestHandler handler;

  HttpPipeline(HttpRequestHandler handler) {
    this.handler = handler;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    channel.pipeline()
        .addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS))
        .addLast("codec", new HttpServerCodec())
        .addLast("keepAlive", new HttpServerKeepAliveHandler())
        .addLast("aggregator", new HttpObjectAggregator(MAX_CONTENT_BYTES))
        .addLast("routes", handler);
  }
}
