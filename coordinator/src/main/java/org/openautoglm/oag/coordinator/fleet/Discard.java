package org.openautoglm.oag.coordinator.fleet;

import io.grpc.stub.StreamObserver;

/** Swallows what an agent sends on a stream that was refused at once. */
final class Discard<T> implements StreamObserver<T> {
  @Override
  public void onNext(T message) {}

  @Override
  public void onError(Throwable t) {}

  @Override
  public void onCompleted() {}
}
