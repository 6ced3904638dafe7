package org.openautoglm.oag.cli;

import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openautoglm.oag.bench.etcd.v3.ClusterGrpc;
import org.openautoglm.oag.bench.etcd.v3.KVGrpc;
import org.openautoglm.oag.bench.etcd.v3.MaintenanceGrpc;
import org.openautoglm.oag.bench.etcd.v3.Member;
import org.openautoglm.oag.bench.etcd.v3.MemberListRequest;
import org.openautoglm.oag.bench.etcd.v3.MemberListResponse;
import org.openautoglm.oag.bench.etcd.v3.PutRequest;
import org.openautoglm.oag.bench.etcd.v3.PutResponse;
import org.openautoglm.oag.bench.etcd.v3.ResponseHeader;
import org.openautoglm.oag.bench.etcd.v3.StatusRequest;
import org.openautoglm.oag.bench.etcd.v3.StatusResponse;

/** A pretend one-member etcd cluster, in process: member e1, its own leader in term 2. */
final class FakeEtcdMember implements AutoCloseable {
  private static final long ID = 0x6e3bd23ae5f1eae0L;

  final String endpoint = "etcd-fake-" + UUID.randomUUID() + ":2379";
  final List<PutRequest> puts = new CopyOnWriteArrayList<>();
  private final Server server;

  FakeEtcdMember() throws IOException {
    server = InProcessServerBuilder.forName(endpoint).directExecutor()
        .addService(new KVGrpc.KVImplBase() {
          @Override
          public void put(PutRequest request, StreamObserver<PutResponse> out) {
            puts.add(request);
            out.onNext(PutResponse.newBuilder().setHeader(header()).build());
            out.onCompleted();
          }
        })
        .addService(new MaintenanceGrpc.MaintenanceImplBase() {
          @Override
          public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
            out.onNext(StatusResponse.newBuilder().setHeader(header()).setLeader(ID)
                .setRaftTerm(2).setRaftAppliedIndex(puts.size()).build());
            out.onCompleted();
          }
        })
        .addService(new ClusterGrpc.ClusterImplBase() {
          @Override
          public void memberList(MemberListRequest request,
              StreamObserver<MemberListResponse> out) {
            out.onNext(MemberListResponse.newBuilder().setHeader(header())
                .addMembers(Member.newBuilder().setID(ID).setName("e1")
                    .addClientURLs("http://" + endpoint))
                .build());
            out.onCompleted();
          }
        })
        .build().start();
  }

  private static ResponseHeader header() {
    return ResponseHeader.newBuilder().setMemberId(ID).setRaftTerm(2).build();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
