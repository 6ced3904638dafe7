package org.openautoglm.oag.coordinator;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.openautoglm.oag.coordinator.raft.CheckpointDirs;

/**
 * An in-process cluster of real coordinators (real Ratis over loopback gRPC,
 * real RocksDB in temp dirs, ephemeral ports). Nodes are c1..cN, index 0..N-1.
 * Stories read as: {@code cluster.halt(cluster.leaderIndex()); cluster.awaitLeader();}.
 */
public final class MiniCluster implements AutoCloseable {
  private final Path root;
  private final List<PeerAddress> peers;
  private final UnaryOperator<CoordinatorConfig.Builder> tweak;
  private final Coordinator[] nodes;
  private final Map<Integer, ManagedChannel> channels = new ConcurrentHashMap<>();

  private MiniCluster(Path root, List<PeerAddress> peers, UnaryOperator<CoordinatorConfig.Builder> tweak) {
    this.root = root;
    this.peers = peers;
    this.tweak = tweak;
    this.nodes = new Coordinator[peers.size()];
  }

  public static MiniCluster start(Path root, int size) {
    return start(root, size, b -> b);
  }

  public static MiniCluster start(Path root, int size, UnaryOperator<CoordinatorConfig.Builder> tweak) {
    List<PeerAddress> peers = new ArrayList<>();
    int[] ports = freePorts(2 * size);
    for (int i = 1; i <= size; i++) {
      peers.add(new PeerAddress("c" + i, "127.0.0.1", ports[2 * i - 2], ports[2 * i - 1]));
    }
    MiniCluster cluster = new MiniCluster(root, List.copyOf(peers), tweak);
    for (int i = 0; i < size; i++) {
      cluster.restart(i);
    }
    return cluster;
  }

  /**
   * Distinct ports that were free a moment ago, below Linux's ephemeral range (32768 and up):
   * a port taken from that range could be handed out again as the source port of an outgoing
   * connection (this JVM's own gRPC and Ratis clients) before a node binds it, or restarts on it.
   */
  static int[] freePorts(int n) {
    int[] ports = new int[n];
    List<ServerSocket> held = new ArrayList<>();
    Random random = new Random();
    try {
      for (int i = 0, tries = 0; i < n; tries++) {
        if (tries > 10_000) {
          throw new IllegalStateException("no free port in 20000-32767");
        }
        int port = 20_000 + random.nextInt(12_768);
        try {
          held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
          ports[i++] = port;
        } catch (IOException taken) {
          // in use: try another
        }
      }
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // a probe socket
        }
      }
    }
    return ports;
  }

  public int size() {
    return nodes.length;
  }

  public Path dataDir(int i) {
    return root.resolve(peers.get(i).id());
  }

  public CoordinatorConfig config(int i) {
    return tweak.apply(CoordinatorConfig.builder(peers.get(i).id(), peers, dataDir(i))).build();
  }

  public Coordinator node(int i) {
    return nodes[i];
  }

  public synchronized void restart(int i) {
    if (nodes[i] != null) {
      throw new IllegalStateException("c" + (i + 1) + " is running");
    }
    try {
      nodes[i] = Coordinator.start(config(i));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops a node as SIGTERM would: a leader hands off leadership first. */
  public synchronized void stop(int i) {
    dropChannel(i);
    if (nodes[i] != null) {
      nodes[i].close();
      nodes[i] = null;
    }
  }

  /** Stops a node abruptly, without handing off leadership. */
  public synchronized void halt(int i) {
    dropChannel(i);
    if (nodes[i] != null) {
      nodes[i].halt();
      nodes[i] = null;
    }
  }

  /** Deletes a stopped node's whole data dir, as if its disk were replaced. */
  public void wipe(int i) throws IOException {
    if (nodes[i] != null) {
      throw new IllegalStateException("stop c" + (i + 1) + " first");
    }
    CheckpointDirs.deleteTree(dataDir(i));
  }

  public int awaitLeader() {
    int[] found = {-1};
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      for (int i = 0; i < nodes.length; i++) {
        Coordinator n = nodes[i];
        if (n != null && n.isLeader()) {
          found[0] = i;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  public List<Integer> running() {
    List<Integer> up = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) {
        up.add(i);
      }
    }
    return up;
  }

  /** Waits until every running node has applied the same index, and returns it. */
  public long awaitConverged() {
    long[] index = {0};
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      List<Long> applied = running().stream().map(i -> nodes[i].raft().store().meta().getAppliedIndex())
          .distinct().toList();
      index[0] = applied.get(0);
      return applied.size() == 1;
    });
    return index[0];
  }

  /** Digest per running node, hex; equal digests at equal applied index mean equal state. */
  public Map<String, String> digests() {
    return running().stream().collect(Collectors.toMap(i -> peers.get(i).id(),
        i -> java.util.HexFormat.of().formatHex(nodes[i].raft().store().meta().getDigest().toByteArray())));
  }

  public ManagedChannel channel(int i) {
    return channels.computeIfAbsent(i, k -> NettyChannelBuilder
        .forAddress("127.0.0.1", peers.get(k).apiPort()).usePlaintext().build());
  }

  private void dropChannel(int i) {
    ManagedChannel ch = channels.remove(i);
    if (ch != null) {
      ch.shutdownNow();
    }
  }

  public String addresses() {
    return peers.stream().map(PeerAddress::apiAddress).collect(Collectors.joining(","));
  }

  public List<PeerAddress> peers() {
    return peers;
  }

  @Override
  public synchronized void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
    Arrays.stream(nodes).filter(n -> n != null).forEach(Coordinator::halt);
    Arrays.fill(nodes, null);
  }
}
