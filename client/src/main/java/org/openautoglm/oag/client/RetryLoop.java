package org.openautoglm.oag.client;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one logical call as a series of attempts until one answers definitively or the retry
 * budget is spent.
 *
 * <p>Why it looks like this: a write must take effect once even when the client cannot tell
 * whether an attempt reached the leader. So every attempt of a logical call carries the
 * same (client id, request id) and the server deduplicates; the loop only decides where to
 * send the next attempt and how long to wait:
 *
 * <ul>
 *   <li>not leader with a hint: straight to the hinted address, no wait (bounded, so two
 *       nodes that point at each other cannot spin the loop) — unless that address already
 *       failed to answer in this call: followers keep naming a dead leader until they
 *       elect another, so then the next address, polled at most every 100 ms;
 *   <li>not leader without a hint, unavailable, timed out: the next address, after a capped
 *       exponential backoff with jitter;
 *   <li>RESOURCE_EXHAUSTED (the leader's pending-request limit): the same address, after a
 *       backoff;
 *   <li>anything else: thrown at once.
 * </ul>
 *
 * <p>Once any attempt of a write may have been applied, running out of budget throws
 * {@link IndeterminateException}; otherwise {@link UnavailableException}. So does a later
 * attempt that ends in an error other than the server's own verdict on the request
 * (invalid argument, not found, failed precondition): an INTERNAL answer to the retry says
 * nothing about whether the earlier attempt landed. Stateless apart from the shared {@link
 * Endpoints}; safe to use from many threads.
 */
final class RetryLoop {
  private static final Logger log = LoggerFactory.getLogger(RetryLoop.class);
  private static final Duration ELECTION_POLL = Duration.ofMillis(100);
  /**
   * The least budget worth an attempt. One with less could only time out, and a write that
   * times out after it was sent reads as indeterminate although every earlier answer said
   * it was not applied.
   */
  private static final long MIN_ATTEMPT_NANOS = Duration.ofMillis(50).toNanos();

  /** One attempt: an RPC to {@code channel} that must honour the deadline and the tracer. */
  @FunctionalInterface
  interface Rpc<T> {
    T call(ManagedChannel channel, long deadlineNanos, AttemptTracer tracer);
  }

  private final Endpoints endpoints;
  private final ClientConfig config;
  private final Ticker ticker;

  RetryLoop(Endpoints endpoints, ClientConfig config, Ticker ticker) {
    this.endpoints = endpoints;
    this.config = config;
    this.ticker = ticker;
  }

  /**
   * Runs {@code rpc} until it answers or the budget is spent.
   *
   * @param requestId the write's request id, or null for a read
   */
  <T> T run(String method, String requestId, Rpc<T> rpc) {
    return run(method, requestId, rpc, false, null);
  }

  /**
   * Like {@link #run(String, String, Rpc)}, for a read stream that resumes where it broke.
   * A retryable failure starts over with a fresh budget and backoff, as a new call would,
   * when the attempt advanced {@code progress} (a count of what attempts delivered), or when
   * it is a {@code follow} stream that stayed open longer than one attempt's deadline: it
   * was being served, only quietly, so the time it spent says nothing about reachability.
   */
  <T> T runStream(String method, boolean follow, Rpc<T> rpc, LongSupplier progress) {
    return run(method, null, rpc, follow, progress);
  }

  private <T> T run(String method, String requestId, Rpc<T> rpc, boolean follow,
      LongSupplier progress) {
    boolean mutating = requestId != null;
    long end = ticker.nanoTime() + config.retryBudget().toNanos();
    Backoff backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
    State s = new State();
    while (true) {
      long remaining = end - ticker.nanoTime();
      if (remaining < Math.min(MIN_ATTEMPT_NANOS, config.retryBudget().toNanos())) {
        throw giveUp(method, requestId, s);
      }
      String address = endpoints.current();
      AttemptTracer tracer = new AttemptTracer();
      s.attempts++;
      s.address = address;
      long started = ticker.nanoTime();
      long mark = progress == null ? 0 : progress.getAsLong();
      try {
        return rpc.call(endpoints.channel(address),
            Math.min(config.deadline().toNanos(), remaining), tracer);
      } catch (StatusRuntimeException e) {
        OagException err = StatusMapper.map(e.getStatus(), e.getTrailers(),
            new StatusMapper.Attempt(mutating, tracer.requestSent(), tracer.serverAnswered(),
                config.clientId(), requestId));
        if (!err.retryable()) {
          throw s.maybeApplied && !definitive(err) ? indeterminate(method, requestId, s, err) : err;
        }
        if (progress != null && (progress.getAsLong() != mark
            || (follow && ticker.nanoTime() - started > config.deadline().toNanos()))) {
          end = ticker.nanoTime() + config.retryBudget().toNanos();
          backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
          s = new State();
          s.attempts = 1;
          s.address = address;
        }
        s.last = err;
        s.answered = tracer.serverAnswered();
        s.maybeApplied |= err instanceof IndeterminateException;
        if (Thread.currentThread().isInterrupted()) {
          throw giveUp(method, requestId, s);
        }
        if (!nextAddress(address, err, s)) {
          continue;
        }
        // While members name no reachable leader an election is running; it ends within
        // about an election timeout, so poll briefly rather than back off far past it.
        Duration wait = err instanceof NotLeaderException ? backoff.nextAtMost(ELECTION_POLL) : backoff.next();
        if (ticker.nanoTime() + wait.toNanos() + MIN_ATTEMPT_NANOS > end) {
          throw giveUp(method, requestId, s);
        }
        log.debug("event=retry method={} address={} attempt={} wait_ms={} error=\"{}\"",
            method, address, s.attempts, wait.toMillis(), err.getMessage());
        try {
          ticker.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw giveUp(method, requestId, s);
        }
      }
    }
  }

  /** Picks where the next attempt goes; returns whether to back off before it. */
  private boolean nextAddress(String address, OagException err, State s) {
    if (!(err instanceof NotLeaderException) && !s.answered) {
      // Nothing answered there (connection refused, reset): likely a dead member whose
      // followers still name it as leader until they elect another.
      s.unreachable.add(address);
    }
    if (err instanceof NotLeaderException nl && nl.leaderAddress().isPresent()
        && !nl.leaderAddress().get().equals(address)
        && !s.unreachable.contains(nl.leaderAddress().get())) {
      endpoints.follow(nl.leaderAddress().get());
      if (s.freeHops < endpoints.size() + 1) {
        s.freeHops++;
        return false;
      }
      s.freeHops = 0;
      return true;
    }
    s.freeHops = 0;
    if (err.code() != Status.Code.RESOURCE_EXHAUSTED) {
      endpoints.skip(address);
    }
    return true;
  }

  /**
   * Errors that answer the request itself, whatever earlier attempts did: a retry that the
   * server deduplicated would have got the original result instead.
   */
  private static boolean definitive(OagException err) {
    return err instanceof InvalidArgumentException || err instanceof NotFoundException
        || err instanceof FailedPreconditionException;
  }

  private OagException indeterminate(String method, String requestId, State s, OagException last) {
    s.last = last;
    return giveUp(method, requestId, s);
  }

  private OagException giveUp(String method, String requestId, State s) {
    String why = s.last == null ? "no attempt fitted" : s.last.getMessage();
    String text = method + ": gave up after " + s.attempts + " attempt(s) in "
        + config.retryBudget().toMillis() + " ms, last at " + s.address + ": " + why;
    if (s.maybeApplied) {
      return new IndeterminateException(s.last.code(),
          text + " (may have been applied; retry with request id " + requestId + ")",
          config.clientId(), requestId, s.last);
    }
    Status.Code code = s.last == null ? Status.Code.UNAVAILABLE : s.last.code();
    return new UnavailableException(code, text, s.last);
  }

  private static final class State {
    int attempts;
    int freeHops;
    boolean answered;
    final java.util.Set<String> unreachable = new java.util.HashSet<>();
    boolean maybeApplied;
    OagException last;
    String address;
  }
}
