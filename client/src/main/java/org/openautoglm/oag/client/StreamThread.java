package org.openautoglm.oag.client;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A {@link Subscription} whose body (the attempts of one streaming call) runs on a thread
 * of its own inside a cancellable gRPC context. {@link #close()} cancels that context, which
 * cancels the call in flight, and interrupts the thread, which ends a backoff wait; a
 * failure after close is not a failure.
 */
final class StreamThread implements Subscription {
  private final Context.CancellableContext context = Context.current().withCancellation();
  private final Thread thread;
  private volatile boolean closed;
  private volatile RuntimeException failure;

  private StreamThread(String name, Runnable body) {
    thread = new Thread(() -> {
      try {
        context.run(body);
      } catch (RuntimeException e) {
        if (!closed) {
          failure = e;
        }
      } finally {
        context.cancel(null);
      }
    }, name);
    thread.setDaemon(true);
  }

  static StreamThread start(String name, Runnable body) {
    StreamThread s = new StreamThread(name, body);
    s.thread.start();
    return s;
  }

  /**
   * Runs one blocking server-streaming call in a child context, handing each message to
   * {@code each} until it returns false or the stream ends; the call is cancelled when left
   * early. Returns false, quietly, when the enclosing subscription was closed meanwhile.
   */
  static <T> boolean drain(Supplier<Iterator<T>> call, Predicate<T> each) {
    Context.CancellableContext ctx = Context.current().withCancellation();
    Context previous = ctx.attach();
    try {
      Iterator<T> it = call.get();
      while (it.hasNext()) {
        if (!each.test(it.next())) {
          break;
        }
      }
      return true;
    } catch (StatusRuntimeException e) {
      if (previous.isCancelled()) {
        return false;
      }
      throw e;
    } finally {
      ctx.detach(previous);
      ctx.cancel(null);
    }
  }

  @Override
  public void await() {
    try {
      thread.join();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      return;
    }
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
  }

  @Override
  public boolean isDone() {
    return !thread.isAlive();
  }

  @Override
  public void close() {
    closed = true;
    context.cancel(null);
    thread.interrupt();
    if (Thread.currentThread() == thread) {
      return;
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
