/**
 * etcd behind the benchmark's timing code: {@link
 * org.openautoglm.oag.bench.etcd.EtcdTarget} writes with etcd's native gRPC API ({@code
 * KV.Put} to the leader) and reads its health from {@code Maintenance.Status} and {@code
 * Cluster.MemberList}. The API is a subset of etcd v3.4's proto, generated here with the
 * project's own gRPC ({@code src/main/proto/etcd/etcdserverpb/rpc.proto}, Java package
 * {@code org.openautoglm.oag.bench.etcd.v3}), so no second gRPC version comes in. The members'
 * processes are {@link org.openautoglm.oag.bench.LocalClusterControl} with {@link
 * org.openautoglm.oag.bench.ClusterScript#ETCD} ({@code bench/etcd-cluster.sh}).
 */
package org.openautoglm.oag.bench.etcd;
