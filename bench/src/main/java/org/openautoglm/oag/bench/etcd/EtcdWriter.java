package org.openautoglm.oag.bench.etcd;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.openautoglm.oag.bench.BenchTarget;
import org.openautoglm.oag.bench.etcd.v3.PutRequest;
import org.openautoglm.oag.client.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to an etcd cluster that writes with {@code KV.Put}: the key's UTF-8 bytes,
 * the payload's UTF-8 bytes as the value, no lease, sent straight to the leader.
 *
 * <p>Why it looks like this: etcd followers forward proposals, but the coordinator's client
 * sends to the leader, and the comparison should cost both the same hops. So the leader's
 * endpoint is looked up once ({@link LeaderLocator}) and cached; an attempt that fails with
 * leader trouble (see {@link EtcdErrors}) drops the cached leader, backs off, looks again
 * and retries, until the retry budget is spent. A Put that timed out may have been applied;
 * sending it again writes the same value under the same unique key, which only adds a
 * revision, so retries need no idempotency key.
 *
 * <p>Thread-safe: threads share the channels and the cached leader (the failover probe
 * writes from several threads through one writer). Closing shuts the channels down; a write
 * in flight then fails at once instead of retrying.
 */
final class EtcdWriter implements BenchTarget.Writer {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdWriter.class);

  private final String name;
  private final EtcdConfig config;
  private final EtcdChannels channels;
  private final LeaderLocator locator;
  private final AtomicReference<String> leader = new AtomicReference<>();
  private final Object lookup = new Object();
  private volatile String lastLookup; // why the last complete look-up found no leader
  private volatile boolean closed;

  EtcdWriter(String name, EtcdConfig config) {
    this.name = name;
    this.config = config;
    this.channels = new EtcdChannels(config);
    this.locator = new LeaderLocator(channels, config);
  }

  @Override
  public void write(String key, String payload) {
    PutRequest put = PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))
        .setValue(ByteString.copyFromUtf8(payload))
        .build();
    long end = System.nanoTime() + config.retryBudget().toNanos();
    Backoff backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
    int attempts = 0;
    String last = "no attempt fitted";
    Status.Code lastCode = Status.Code.UNAVAILABLE;
    while (!closed && !Thread.currentThread().isInterrupted()) {
      String endpoint = leader(end);
      if (endpoint == null) {
        last = lastLookup != null ? lastLookup : "no leader found in time";
      } else {
        long left = end - System.nanoTime();
        if (left <= 0) {
          break;
        }
        attempts++;
        try {
          channels.put(endpoint, put, Math.min(config.deadline().toNanos(), left));
          return;
        } catch (StatusRuntimeException e) {
          EtcdErrors.Next next = EtcdErrors.next(e.getStatus());
          last = endpoint + ": " + EtcdErrors.describe(e.getStatus());
          lastCode = e.getStatus().getCode();
          if (closed || next == EtcdErrors.Next.FAIL) {
            throw new EtcdException(lastCode, "put " + key + " failed at " + last, e);
          }
          if (next == EtcdErrors.Next.FIND_LEADER) {
            leader.compareAndSet(endpoint, null); // unless another thread found a new one
          }
          if (lastCode == Status.Code.UNAVAILABLE) {
            channels.reconnectSoon(endpoint); // a killed member that comes back may lead again
          }
        }
      }
      long wait = backoff.next().toNanos();
      if (System.nanoTime() + wait >= end) {
        break;
      }
      LOG.debug("event=etcd_retry writer={} attempt={} wait_ms={} error=\"{}\"", name,
          attempts, TimeUnit.NANOSECONDS.toMillis(wait), last);
      LockSupport.parkNanos(wait);
    }
    throw new EtcdUnavailableException(lastCode, "put " + key + ": gave up after " + attempts
        + " attempt(s) in " + config.retryBudget().toMillis() + " ms"
        + (closed ? " (writer closed)" : "") + "; last: " + last, null);
  }

  /** The cached leader endpoint, else one looked up now (one thread at a time); or null. */
  private String leader(long end) {
    String cached = leader.get();
    if (cached != null) {
      return cached;
    }
    synchronized (lookup) {
      cached = leader.get(); // another thread may have just found it
      if (cached != null) {
        return cached;
      }
      LeaderLocator.Found f = locator.find(end);
      if (f.endpoint() == null) {
        if (!f.budgetSpent() || lastLookup == null) {
          lastLookup = "no leader found: " + f.why();
        }
        return null;
      }
      LOG.debug("event=etcd_leader writer={} endpoint={}", name, f.endpoint());
      lastLookup = null;
      leader.set(f.endpoint());
      return f.endpoint();
    }
  }

  @Override
  public void close() {
    closed = true;
    channels.close();
  }
}
