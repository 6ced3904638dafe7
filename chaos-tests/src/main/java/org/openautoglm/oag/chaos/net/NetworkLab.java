package org.openautoglm.oag.chaos.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openautoglm.oag.chaos.Commands;

/**
 * A private network for the cluster under test: one Linux network namespace per node, each
 * with its own address on a bridge that the harness's own namespace also sits on, so that
 * {@link Firewall} rules inside the namespaces can cut any pair of nodes (Raft links
 * included) while the harness still reaches every node.
 *
 * <p>Node {@code k} (1-based, in the order given) gets {@code 10.213.S.k}; the harness side of
 * the bridge is {@code 10.213.S.254}, with {@code S} a /24 no interface on this machine uses.
 * Names carry this JVM's pid, so a later run can remove what a killed run left behind (and
 * never touches another live run's). Needs root, {@code ip} (iproute2) and {@code iptables};
 * {@link #unavailable()} says why not when it cannot work.
 *
 * <p>Thread-safe. {@link #close()} removes the namespaces and the bridge; a shutdown hook does
 * the same for a lab that was never closed, and the next lab created removes what a harness
 * killed with SIGKILL left (ending the processes in those namespaces).
 */
public final class NetworkLab implements AutoCloseable {
  private static final Pattern OWNED_NETNS = Pattern.compile("^oag-(\\d+)[a-z]+-\\S+");
  private static final Pattern OWNED_LINK = Pattern.compile("^o[bv](\\d+)[a-z]+\\d*(@\\S+)?$");
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static volatile Optional<String> unavailable;

  private final String tag;
  private final String bridge;
  private final String subnet;
  private final Map<String, String> namespaces = new LinkedHashMap<>();
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final Firewall firewall;
  private final Thread cleanup = new Thread(this::remove, "oag-chaos-netns-cleanup");
  private boolean closed;
  private volatile boolean forwardRule;

  private NetworkLab(List<String> nodes) {
    long pid = ProcessHandle.current().pid();
    tag = pid + letters(INSTANCES.incrementAndGet());
    bridge = "ob" + tag;
    subnet = "10.213." + freeSubnet(pid) + ".";
    for (int k = 0; k < nodes.size(); k++) {
      namespaces.put(nodes.get(k), "oag-" + tag + "-" + nodes.get(k));
      addresses.put(nodes.get(k), subnet + (k + 1));
    }
    firewall = new Firewall(this);
  }

  /** Why namespaces cannot be used here, or empty when they can. Probed once per JVM. */
  public static Optional<String> unavailable() {
    Optional<String> u = unavailable;
    if (u == null) {
      u = probe();
      unavailable = u;
    }
    return u;
  }

  /** Creates a namespace per node (ids of at most 8 characters, at most 9 nodes). */
  public static NetworkLab create(List<String> nodes) {
    unavailable().ifPresent(reason -> {
      throw new IllegalStateException("network namespaces unavailable: " + reason);
    });
    if (nodes.isEmpty() || nodes.size() > 9) {
      throw new IllegalArgumentException("1 to 9 nodes, got " + nodes.size());
    }
    removeLeftovers();
    NetworkLab lab = new NetworkLab(nodes);
    Runtime.getRuntime().addShutdownHook(lab.cleanup);
    try {
      lab.build();
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  private void build() {
    Commands.check("ip", "link", "add", bridge, "type", "bridge");
    Commands.check("ip", "addr", "add", hostAddress() + "/24", "dev", bridge);
    Commands.check("ip", "link", "set", bridge, "up");
    // Where br_netfilter hands bridged frames to this namespace's FORWARD chain and its policy
    // drops (as Docker sets it), traffic between the nodes would be lost: accept ours.
    Commands.check("iptables", "-w", "-I", "FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT");
    forwardRule = true;
    int k = 0;
    for (Map.Entry<String, String> e : namespaces.entrySet()) {
      String ns = e.getValue();
      String veth = "ov" + tag + (++k);
      Commands.check("ip", "netns", "add", ns);
      Commands.check("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
      Commands.check("ip", "link", "set", veth, "master", bridge, "up");
      Commands.check("ip", "netns", "exec", ns, "ip", "addr", "add", address(e.getKey()) + "/24", "dev", "eth0");
      Commands.check("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
      Commands.check("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
    }
  }

  /** The node's address, reachable from the harness and (unless cut) from every other node. */
  public String address(String node) {
    String a = addresses.get(node);
    if (a == null) {
      throw new IllegalArgumentException("no node '" + node + "' in this lab");
    }
    return a;
  }

  /** The harness's own address on the bridge. */
  public String hostAddress() {
    return subnet + "254";
  }

  public List<String> nodes() {
    return List.copyOf(namespaces.keySet());
  }

  String namespace(String node) {
    address(node);
    return namespaces.get(node);
  }

  /** {@code argv} wrapped to run inside the node's namespace ({@code ip netns exec} execs it, so the pid is the command's). */
  public List<String> inNamespace(String node, List<String> argv) {
    List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace(node)));
    out.addAll(argv);
    return out;
  }

  public Firewall firewall() {
    return firewall;
  }

  /** Whether a TCP connection from inside {@code fromNode}'s namespace to host:port opens within the timeout. */
  public boolean canConnect(String fromNode, String host, int port, Duration timeout) {
    long seconds = Math.max(1, timeout.toSeconds());
    return Commands.run(inNamespace(fromNode, List.of("timeout", Long.toString(seconds), "bash", "-c",
        "exec 3<>/dev/tcp/" + host + "/" + port)), timeout.plusSeconds(5)).ok();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    remove();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs remove() again, which is harmless
    }
  }

  private void remove() {
    for (String ns : namespaces.values()) {
      Commands.run("ip", "netns", "del", ns);
    }
    Commands.run("ip", "link", "del", bridge);
    if (forwardRule) {
      Commands.run("iptables", "-w", "-D", "FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT");
      forwardRule = false;
    }
  }

  private static Optional<String> probe() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return Optional.of("not Linux");
    }
    Commands.Result id = Commands.run("id", "-u");
    if (!id.ok() || !id.output().equals("0")) {
      return Optional.of("not root (namespaces and firewall rules need root)");
    }
    if (!Commands.run("ip", "-V").ok()) {
      return Optional.of("'ip' (iproute2) is not installed");
    }
    if (!Commands.run("iptables", "--version").ok()) {
      return Optional.of("'iptables' is not installed (Debian package iptables; .ci/run installs it)");
    }
    String ns = "oag-" + ProcessHandle.current().pid() + "probe-x";
    Commands.Result add = Commands.run("ip", "netns", "add", ns);
    if (!add.ok()) {
      return Optional.of("'ip netns add' refused: " + add.output());
    }
    try {
      Commands.Result rule = Commands.run("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-s",
          "10.213.255.1", "-j", "DROP");
      if (!rule.ok()) {
        return Optional.of("iptables inside a namespace refused: " + rule.output());
      }
      return Optional.empty();
    } finally {
      Commands.run("ip", "netns", "del", ns);
    }
  }

  /**
   * Removes what a harness killed with SIGKILL (which runs no shutdown hook) left behind: the
   * processes in namespaces named for a pid that no longer runs (a harness started every
   * process in its namespaces), then those namespaces and links.
   */
  private static void removeLeftovers() {
    for (String line : Commands.run("ip", "netns", "list").output().split("\n")) {
      String name = line.split(" ")[0];
      Matcher m = OWNED_NETNS.matcher(name);
      if (m.matches() && !alive(m.group(1))) {
        for (String pid : Commands.run("ip", "netns", "pids", name).output().split("\s+")) {
          if (pid.matches("\\d+")) {
            Commands.run("kill", "-KILL", pid);
          }
        }
        Commands.run("ip", "netns", "del", name);
      }
    }
    for (String line : Commands.run("ip", "-o", "link", "show").output().split("\n")) {
      String[] parts = line.split(":\\s+");
      if (parts.length > 1) {
        Matcher m = OWNED_LINK.matcher(parts[1]);
        if (m.matches() && !alive(m.group(1))) {
          Commands.run("ip", "link", "del", parts[1].split("@")[0]);
        }
      }
    }
  }

  private static boolean alive(String pid) {
    return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
  }

  /** A /24 in 10.213.0.0/16 that no interface here has an address in, starting from a pid-derived guess. */
  private static int freeSubnet(long pid) {
    String used = Commands.run("ip", "-4", "-o", "addr", "show").output() + "\n"
        + Commands.run("ip", "-4", "route", "show").output().replaceAll("(?m)^", " ");
    for (int i = 0; i < 250; i++) {
      int s = (int) ((pid + i) % 250);
      if (!used.contains(" 10.213." + s + ".")) {
        return s;
      }
    }
    throw new IllegalStateException("no free /24 in 10.213.0.0/16");
  }

  private static String letters(int n) {
    StringBuilder b = new StringBuilder();
    do {
      b.append((char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return b.toString();
  }
}
