package org.openautoglm.oag.bench.etcd;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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

/**
 * A pretend etcd cluster of in-process gRPC servers, one per member (e1.. at endpoints
 * 127.0.0.1:23791..), sharing one view of leader and term. The leader's Puts are recorded;
 * {@link #failNextPut} makes the next Put at a member fail. Members can be taken down.
 */
final class FakeEtcd implements AutoCloseable {
  final List<FakeMember> members = new ArrayList<>();
  volatile long leader;
  volatile long term = 1;
  private final AtomicInteger statusCallsToElection = new AtomicInteger(-1);
  private volatile int electAfter;

  FakeEtcd(int n) {
    for (int k = 1; k <= n; k++) {
      members.add(new FakeMember(k));
    }
  }

  List<String> endpoints() {
    return members.stream().map(m -> m.endpoint).toList();
  }

  /** Channels into the fake, for {@link EtcdConfig.Builder#channelFactory}. */
  static Function<String, ManagedChannel> channels() {
    return e -> InProcessChannelBuilder.forName(e).directExecutor().build();
  }

  FakeMember member(int k) {
    return members.get(k - 1);
  }

  void elect(int k) {
    leader = k == 0 ? 0 : member(k).id;
    term++;
  }

  /** Elects member {@code k} once members have answered {@code calls} more Status calls. */
  void electAfterStatusCalls(int k, int calls) {
    electAfter = k;
    statusCallsToElection.set(calls);
  }

  @Override
  public void close() {
    members.forEach(FakeMember::down);
  }

  final class FakeMember {
    final int k;
    final long id;
    final String name;
    final String endpoint;
    final List<PutRequest> puts = new CopyOnWriteArrayList<>();
    final Queue<Runnable> onNextPut = new ConcurrentLinkedQueue<>();
    volatile long applied;
    private final Server server;

    FakeMember(int k) {
      this.k = k;
      this.id = 0x8e9e05c52164694dL + k; // etcd ids are random 64-bit numbers
      this.name = "e" + k;
      this.endpoint = "127.0.0.1:" + (23790 + k);
      try {
        server = InProcessServerBuilder.forName(endpoint).directExecutor()
            .addService(new Kv()).addService(new Maintenance()).addService(new Cluster())
            .build().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The next Put here fails with {@code status}, after {@code then} ran. */
    void failNextPut(Status status, Runnable then) {
      onNextPut.add(() -> {
        then.run();
        throw status.asRuntimeException();
      });
    }

    void down() {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private ResponseHeader header() {
      return ResponseHeader.newBuilder().setClusterId(7).setMemberId(id).setRaftTerm(term).build();
    }

    private final class Kv extends KVGrpc.KVImplBase {
      @Override
      public void put(PutRequest request, StreamObserver<PutResponse> out) {
        try {
          Runnable r = onNextPut.poll();
          if (r != null) {
            r.run();
          }
          puts.add(request);
          applied++;
          out.onNext(PutResponse.newBuilder().setHeader(header()).build());
          out.onCompleted();
        } catch (RuntimeException e) {
          out.onError(e);
        }
      }
    }

    private final class Maintenance extends MaintenanceGrpc.MaintenanceImplBase {
      @Override
      public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        if (statusCallsToElection.getAndUpdate(n -> n >= 0 ? n - 1 : n) == 0) {
          elect(electAfter);
        }
        out.onNext(StatusResponse.newBuilder().setHeader(header()).setVersion("3.4.23")
            .setLeader(leader).setRaftTerm(term).setRaftIndex(applied)
            .setRaftAppliedIndex(applied).build());
        out.onCompleted();
      }
    }

    private final class Cluster extends ClusterGrpc.ClusterImplBase {
      @Override
      public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        MemberListResponse.Builder b = MemberListResponse.newBuilder().setHeader(header());
        for (FakeMember m : members) {
          b.addMembers(Member.newBuilder().setID(m.id).setName(m.name)
              .addPeerURLs("http://127.0.0.1:" + (23800 + m.k))
              .addClientURLs("http://" + m.endpoint));
        }
        out.onNext(b.build());
        out.onCompleted();
      }
    }
  }
}
