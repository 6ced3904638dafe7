package org.openautoglm.oag.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Records, for one attempt, whether the request message left the client and whether the
 * status came from the server (its trailers arrived). Response headers alone do not count:
 * a server that sent them had a result, and a connection lost after them leaves the write
 * possibly applied. {@link StatusMapper} uses both to tell a write
 * that never left (safe to retry as new) from one that may have been applied.
 * Written by gRPC threads, read by the caller after the call returned.
 */
final class AttemptTracer extends ClientStreamTracer.Factory implements ClientInterceptor {
  private volatile boolean sent;
  private volatile boolean answered;

  /** Installs this tracer on the call. */
  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return next.newCall(method, options.withStreamTracerFactory(this));
  }

  boolean requestSent() {
    return sent;
  }

  boolean serverAnswered() {
    return answered;
  }

  @Override
  public ClientStreamTracer newClientStreamTracer(
      ClientStreamTracer.StreamInfo info, Metadata headers) {
    return new ClientStreamTracer() {
      @Override
      public void outboundMessageSent(int seqNo, long wireSize, long uncompressedSize) {
        sent = true;
      }

      @Override
      public void inboundTrailers(Metadata trailers) {
        answered = true;
      }
    };
  }
}
