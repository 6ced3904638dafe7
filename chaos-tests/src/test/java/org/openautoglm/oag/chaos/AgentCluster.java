package org.openautoglm.oag.chaos;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.ClusterSpec;
import org.openautoglm.oag.chaos.failover.EventLog;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.client.CoordinatorClient;

/**
 * What every agent scenario starts from: three coordinator processes and {@code agents} agent
 * processes from the distribution (each in a network namespace of its own where namespaces
 * exist), a tick sink they can reach, and a client. Closing it keeps the event log
 * ({@code events.txt}) beside the nodes' logs, then ends the agents and what they left running
 * before the sink closes.
 */
public final class AgentCluster implements AutoCloseable {
  public final Path work;
  public final ChaosCluster cluster;
  public final TickSink sink;
  public final CoordinatorClient client;

  private AgentCluster(Path work, ChaosCluster cluster, TickSink sink, CoordinatorClient client) {
    this.work = work;
    this.cluster = cluster;
    this.sink = sink;
    this.client = client;
  }

  /** Starts the cluster of {@code test}, its agents started with {@code agentArgs}. */
  public static AgentCluster start(Class<?> test, int agents, List<String> agentArgs) throws Exception {
    Path work = ChaosTestSupport.workDir(test);
    ChaosCluster cluster = ChaosCluster.start(ClusterSpec.of(3, work, ChaosTestSupport.namespacesAvailable())
        .withAgents(agents, agentArgs), ChaosTestSupport.WITHIN);
    TickSink sink = null;
    try {
      InetAddress sinkHost = cluster.network().map(lab -> address(lab.hostAddress()))
          .orElse(InetAddress.getLoopbackAddress());
      sink = TickSink.start(new InetSocketAddress(sinkHost, 0), System::nanoTime, work.resolve("ticks.jsonl"));
      return new AgentCluster(work, cluster, sink, ChaosTestSupport.client(cluster.clientAddresses()));
    } catch (Exception | Error e) {
      ChaosTestSupport.closeAll(null, cluster, sink);
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      EventLog.write(client, work.resolve("events.txt"));
    } catch (RuntimeException e) {
      System.out.println("chaos: no event log kept: " + e);
    }
    ChaosTestSupport.closeAll(client, cluster, sink);
  }

  private static InetAddress address(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(host, e);
    }
  }
}
