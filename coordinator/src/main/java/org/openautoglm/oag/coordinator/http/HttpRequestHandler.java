package org.openautoglm.oag.coordinator.http;

import static io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each aggregated request from {@link HttpRoutes} on the channel's I/O thread. A request
 * the codec could not decode closes its connection: with a 413 first when the request line or
 * headers were too long, silently for anything else (garbage, a TLS hello). Keep-alive is left to
 * the {@code HttpServerKeepAliveHandler} ahead of this one. Stateless, hence shared.
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);

  private final String nodeId;
  private final HttpRoutes routes;

  HttpRequestHandler(String nodeId, HttpRoutes routes) {
    this.nodeId = nodeId;
    this.routes = routes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      rejectUndecodable(ctx, request.decoderResult().cause());
      return;
    }
    HttpReply reply;
    try {
      reply = routes.route(request.method(), request.uri());
    } catch (RuntimeException e) {
      log.warn("event=http_route_failed node={} uri={}", nodeId, request.uri(), e);
      reply = HttpReply.error(INTERNAL_SERVER_ERROR, "internal", "node", nodeId);
    }
    ctx.writeAndFlush(toResponse(ctx, reply));
  }

  private void rejectUndecodable(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("event=http_undecodable node={} remote={} cause={}",
        nodeId, ctx.channel().remoteAddress(), cause.toString());
    if (cause instanceof TooLongFrameException) {
      FullHttpResponse response =
          toResponse(ctx, HttpReply.error(REQUEST_ENTITY_TOO_LARGE, "request_too_large"));
      HttpUtil.setKeepAlive(response, false);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private static FullHttpResponse toResponse(ChannelHandlerContext ctx, HttpReply reply) {
    ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), reply.body());
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(), body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (METHOD_NOT_ALLOWED.equals(reply.status())) {
      response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
    }
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and idle timeouts are the client's business; anything else is worth a look.
    if (cause instanceof IOException || cause instanceof ReadTimeoutException) {
      log.debug("event=http_connection_closed node={} remote={} cause={}",
          nodeId, ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("event=http_connection_failed node={} remote={}",
          nodeId, ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
