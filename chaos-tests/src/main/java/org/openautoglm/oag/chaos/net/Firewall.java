package org.openautoglm.oag.chaos.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.openautoglm.oag.chaos.Commands;

/**
 * Cuts links between the nodes of a {@link NetworkLab} with iptables DROP rules in the
 * receiving node's namespace (the machine has no {@code tc netem}, so there is no delay or
 * loss rate here: a link is up or dropped). A dropped packet is silently lost, as on a real
 * partition: TCP retries until its own timeouts, nothing is refused. The harness's own
 * address is never cut, so clients keep reaching every node, including one partitioned from
 * its peers.
 *
 * <p>Thread-safe; rules are added once however often a cut is repeated, and {@link #heal()}
 * removes them all.
 */
public final class Firewall {
  private final NetworkLab lab;
  private final Set<Link> dropped = new LinkedHashSet<>();

  Firewall(NetworkLab lab) {
    this.lab = lab;
  }

  /** A directed link: packets from {@code from} to {@code to}. */
  public record Link(String from, String to) {
    @Override
    public String toString() {
      return from + "->" + to;
    }
  }

  /** Drops packets from {@code from} to {@code to} only: the one-way fault. */
  public synchronized void drop(String from, String to) {
    if (from.equals(to)) {
      throw new IllegalArgumentException("a node cannot be cut from itself: " + from);
    }
    Link link = new Link(from, to);
    if (dropped.contains(link)) {
      return;
    }
    Commands.check(lab.inNamespace(to, List.of("iptables", "-w", "-A", "INPUT", "-s",
        lab.address(from), "-j", "DROP")).toArray(String[]::new));
    dropped.add(link);
  }

  /** Cuts both directions between {@code a} and {@code b}. */
  public synchronized void cut(String a, String b) {
    drop(a, b);
    drop(b, a);
  }

  /** Cuts every node of {@code side} from every node of {@code other}, both ways. */
  public synchronized void split(Collection<String> side, Collection<String> other) {
    for (String a : side) {
      for (String b : other) {
        cut(a, b);
      }
    }
  }

  /** Cuts {@code node} from every other node of the lab, both ways. */
  public synchronized void isolate(String node) {
    List<String> others = new ArrayList<>(lab.nodes());
    others.remove(node);
    split(List.of(node), others);
  }

  /**
   * The bridge partition: {@code a} and {@code c} cannot reach each other, but both still
   * reach every other node (in a 3-node cluster, the one in the middle).
   */
  public synchronized void bridge(String a, String c) {
    cut(a, c);
  }

  /** Removes every rule this firewall added. */
  public synchronized void heal() {
    List<String> failures = new ArrayList<>();
    for (String node : lab.nodes()) {
      Commands.Result r = Commands.run(lab.inNamespace(node, List.of("iptables", "-w", "-F", "INPUT")),
          Duration.ofSeconds(20));
      if (!r.ok()) {
        failures.add(node + ": " + r.output());
      }
    }
    dropped.clear();
    if (!failures.isEmpty()) {
      throw new IllegalStateException("heal failed in " + failures);
    }
  }

  /** The DROP rules in {@code node}'s namespace now, as iptables prints them (for checks). */
  public List<String> rules(String node) {
    return Commands.run(lab.inNamespace(node, List.of("iptables", "-w", "-S", "INPUT")), Duration.ofSeconds(20))
        .output().lines().filter(l -> l.contains("DROP")).toList();
  }

  /** The links dropped now. */
  public synchronized Set<Link> dropped() {
    return Set.copyOf(dropped);
  }
}
