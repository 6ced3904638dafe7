/**
 * Load generator and failover probe: they drive a cluster from the outside, through its
 * client library, and measure what a user of the cluster would see.
 *
 * <ul>
 *   <li>{@link org.openautoglm.oag.bench.SubmitLoad}: N workers, each with its own
 *       connection, write as fast as they can (closed loop) or on a fixed schedule (open
 *       loop, latency measured from the intended send time); a warm-up phase, then a
 *       measured phase into HdrHistogram; a {@link org.openautoglm.oag.bench.SubmitReport}.
 *   <li>{@link org.openautoglm.oag.bench.FailoverProbe}: writers keep writing while the
 *       leader is killed with SIGKILL, round after round; the gap from the kill to the
 *       next acknowledged write; a {@link org.openautoglm.oag.bench.FailoverReport}.
 *   <li>{@link org.openautoglm.oag.bench.fleet.AgentSimulation} (its own package): simulated
 *       agents speak the agent protocol to a running cluster, to measure one leader watching a
 *       whole fleet.
 * </ul>
 *
 * <p>The timing code knows the system only through {@link
 * org.openautoglm.oag.bench.BenchTarget} (writes and a cluster health view) and {@link
 * org.openautoglm.oag.bench.MemberControl} (which process is a member; restart the stopped
 * ones). The coordinator is one target ({@link org.openautoglm.oag.bench.OagTarget}), etcd
 * another ({@link org.openautoglm.oag.bench.etcd.EtcdTarget}, in its own package); the
 * members of either, when run by their local-cluster script, are {@link
 * org.openautoglm.oag.bench.LocalClusterControl} with that {@link
 * org.openautoglm.oag.bench.ClusterScript}.
 */
package org.openautoglm.oag.bench;
