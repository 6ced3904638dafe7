package org.openautoglm.oag.agent.lease;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * What the keeper records in {@code DATA/leases/<allocId>.killed} when it kills a group whose
 * lease lapsed, so the agent (even a restarted one) reports the allocation KILLED for that
 * reason instead of restarting it.
 *
 * @param pgid the group killed
 * @param startTicks its leader's start time: the marker applies to that group only, not to a
 *     later generation run under the same allocation id
 * @param deadlineNanos the lease's deadline that passed
 * @param killedAtNanos when the keeper killed it, on the same clock
 * @param wallTime when, for people (ISO-8601)
 * @param reason why, e.g. "lease lapsed"
 */
public record KilledMarker(long pgid, long startTicks, long deadlineNanos, long killedAtNanos,
    String wallTime, String reason) {

  String format() {
    Properties p = new Properties();
    p.setProperty("pgid", Long.toString(pgid));
    p.setProperty("startTicks", Long.toString(startTicks));
    p.setProperty("deadlineNanos", Long.toString(deadlineNanos));
    p.setProperty("killedAtNanos", Long.toString(killedAtNanos));
    p.setProperty("time", wallTime);
    p.setProperty("reason", reason);
    StringWriter out = new StringWriter();
    try {
      p.store(out, "oag keeper");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static Optional<KilledMarker> parse(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
      return Optional.of(new KilledMarker(Long.parseLong(p.getProperty("pgid")),
          Long.parseLong(p.getProperty("startTicks")), Long.parseLong(p.getProperty("deadlineNanos")),
          Long.parseLong(p.getProperty("killedAtNanos")), p.getProperty("time", ""),
          p.getProperty("reason", "")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
