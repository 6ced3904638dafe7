package org.openautoglm.oag.bench.fleet;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets at most {@code limit} registers be in flight at once; the others wait in arrival order.
 * A whole simulated fleet starting (or reconnecting after a leader change) at the same instant
 * would otherwise put thousands of registers on the leader in one go, which measures the
 * simulator's burst, not the leader's steady state.
 *
 * <p>Contract: {@link #offer} hands an agent over; the gate calls its {@link SimAgent#register}
 * when there is room, and when that started a register, the agent calls {@link #done} exactly
 * once when the register has ended, from its callback and holding no lock (a done may start
 * another agent's register on the calling thread).
 * Thread-safe.
 */
final class RegisterGate {
  private final int limit;
  private final ConcurrentLinkedQueue<SimAgent> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closed;

  RegisterGate(int limit) {
    this.limit = limit;
  }

  void offer(SimAgent agent) {
    waiting.add(agent);
    drain();
  }

  void done() {
    inFlight.decrementAndGet();
    drain();
  }

  /** Starts nothing more; agents still waiting stay unregistered. */
  void close() {
    closed = true;
    waiting.clear();
  }

  int waiting() {
    return waiting.size();
  }

  private void drain() {
    while (!closed && !waiting.isEmpty()) {
      int n = inFlight.get();
      if (n >= limit) {
        return;
      }
      if (!inFlight.compareAndSet(n, n + 1)) {
        continue;
      }
      SimAgent next = waiting.poll();
      if (next == null) {
        inFlight.decrementAndGet();
        continue;
      }
      if (!next.register()) {
        inFlight.decrementAndGet();   // closed meanwhile: nothing started
      }
    }
  }
}
