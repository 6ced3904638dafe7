package org.openautoglm.oag.bench.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.bench.etcd.v3.Member;

/** Endpoint parsing, leader endpoint lookup and error meaning: the target's pure parts. */
class EtcdConfigTest {

  @Test
  void endpointsAreHostPortsAndEtcdUrlsAreAccepted() {
    assertThat(EtcdConfig.parseEndpoints("127.0.0.1:23791, http://127.0.0.1:23792/,,"))
        .containsExactly("127.0.0.1:23791", "127.0.0.1:23792");
    assertThat(EtcdConfig.parseEndpoints(EtcdConfig.SCRIPT_ENDPOINTS)).hasSize(3);
    assertThat(EtcdConfig.builder(EtcdConfig.SCRIPT_ENDPOINTS).build().retryBudget())
        .hasSeconds(30);
  }

  @Test
  void badEndpointsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> EtcdConfig.parseEndpoints(" , ")).hasMessageContaining("no etcd");
    assertThatThrownBy(() -> EtcdConfig.parseEndpoints("127.0.0.1"))
        .hasMessageContaining("'127.0.0.1': expected host:port");
    assertThatThrownBy(() -> EtcdConfig.parseEndpoints("127.0.0.1:0"))
        .hasMessageContaining("expected host:port");
    assertThatThrownBy(() -> EtcdConfig.parseEndpoints("https://127.0.0.1:2379"))
        .hasMessageContaining("TLS is not supported");
    assertThatThrownBy(() -> EtcdConfig.parseEndpoints("127.0.0.1:1,http://127.0.0.1:1"))
        .hasMessageContaining("given twice");
  }

  @Test
  void theLeadersEndpointIsTheOneAmongItsClientUrls() {
    List<Member> members = List.of(
        Member.newBuilder().setID(1).setName("e1").addClientURLs("http://127.0.0.1:23791").build(),
        Member.newBuilder().setID(2).setName("e2").addClientURLs("http://10.0.0.2:2379")
            .addClientURLs("http://127.0.0.1:23792").build());
    List<String> endpoints = List.of("127.0.0.1:23791", "127.0.0.1:23792");

    assertThat(LeaderLocator.endpointOf(2, members, endpoints)).isEqualTo("127.0.0.1:23792");
    assertThat(LeaderLocator.endpointOf(1, members, endpoints)).isEqualTo("127.0.0.1:23791");
    assertThat(LeaderLocator.endpointOf(3, members, endpoints)).isNull();
    assertThat(LeaderLocator.endpointOf(1, members, List.of("localhost:23791"))).isNull();
  }

  @Test
  void leaderTroubleIsRetriedElsewhereAndRefusalsAreNot() {
    assertThat(EtcdErrors.next(Status.UNAVAILABLE.withDescription("etcdserver: leader changed")))
        .isEqualTo(EtcdErrors.Next.FIND_LEADER);
    assertThat(EtcdErrors.next(Status.UNAVAILABLE.withDescription("etcdserver: no leader")))
        .isEqualTo(EtcdErrors.Next.FIND_LEADER);
    assertThat(EtcdErrors.next(Status.DEADLINE_EXCEEDED)).isEqualTo(EtcdErrors.Next.FIND_LEADER);
    assertThat(EtcdErrors.next(Status.FAILED_PRECONDITION.withDescription("etcdserver: not leader")))
        .isEqualTo(EtcdErrors.Next.FIND_LEADER);
    assertThat(EtcdErrors.next(Status.RESOURCE_EXHAUSTED.withDescription(
        "etcdserver: too many requests"))).isEqualTo(EtcdErrors.Next.SAME_MEMBER);
    assertThat(EtcdErrors.next(Status.RESOURCE_EXHAUSTED.withDescription(
        "etcdserver: mvcc: database space exceeded"))).isEqualTo(EtcdErrors.Next.FAIL);
    assertThat(EtcdErrors.next(Status.INVALID_ARGUMENT)).isEqualTo(EtcdErrors.Next.FAIL);
    assertThat(EtcdErrors.next(Status.FAILED_PRECONDITION.withDescription(
        "etcdserver: authentication is not enabled"))).isEqualTo(EtcdErrors.Next.FAIL);
  }
}
