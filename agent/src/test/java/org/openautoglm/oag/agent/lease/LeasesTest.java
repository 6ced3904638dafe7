package org.openautoglm.oag.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeasesTest {
  @TempDir Path data;

  @Test
  void renewsReadsAndListsOnlyLeaseFiles() throws IOException {
    Leases leases = new Leases(data);
    leases.renew("a-1", 100, 5000, 2_000);
    leases.renew("a-1", 100, 5000, 3_000);
    leases.renew("a-2", 200, 6000, 1_000);
    leases.markKilled("a-3", new KilledMarker(300, 7000, 1, 2, "now", "lease lapsed"));
    Files.writeString(leases.dir().resolve(".a-4.tmp"), "400 1 1\n");

    assertThat(leases.read("a-1")).contains(new LeaseFile(100, 5000, 3_000));
    assertThat(leases.valid("a-1", 2_999)).isTrue();
    assertThat(leases.valid("a-1", 3_000)).isFalse();
    assertThat(leases.valid("a-9", 0)).isFalse();
    assertThat(leases.list()).containsOnlyKeys("a-1", "a-2");
    assertThat(leases.killed("a-3")).hasValueSatisfying(m -> assertThat(m.pgid()).isEqualTo(300));

    leases.remove("a-1");
    assertThat(leases.read("a-1")).isEmpty();
    assertThatThrownBy(() -> leases.renew("x.killed", 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLeaseRenewedJustBeforeItIsClaimedIsPutBack() throws IOException {
    Leases leases = new Leases(data);
    leases.renew("a-1", 100, 5000, 10_000);

    assertThat(leases.claimLapsed("a-1", 5_000)).isEmpty();
    assertThat(leases.read("a-1")).contains(new LeaseFile(100, 5000, 10_000));

    assertThat(leases.claimLapsed("a-1", 10_000)).contains(new LeaseFile(100, 5000, 10_000));
    assertThat(leases.read("a-1")).isEmpty();
    assertThat(leases.claimLapsed("a-1", 10_000)).isEmpty();
  }

  @Test
  void deadlinesOnlyMoveForwardAndAreWrittenOnlyForAGuardedGroup() throws IOException {
    Leases leases = new Leases(data);
    AllocationLease lease = new AllocationLease(leases, "a-1");
    assertThat(lease.valid(0)).isFalse();

    lease.renew(1_000);
    assertThat(lease.valid(999)).isTrue();
    assertThat(leases.read("a-1")).isEmpty();

    lease.guard(42, 4242);
    assertThat(leases.read("a-1")).contains(new LeaseFile(42, 4242, 1_000));
    lease.renew(500);
    assertThat(leases.read("a-1")).contains(new LeaseFile(42, 4242, 1_000));
    lease.renew(2_000);
    assertThat(leases.read("a-1")).contains(new LeaseFile(42, 4242, 2_000));

    assertThat(lease.lapsed(42, 4242)).isFalse();
    leases.markKilled("a-1", new KilledMarker(42, 4242, 2_000, 2_100, "now", "lease lapsed"));
    assertThat(lease.lapsed(42, 4242)).isTrue();
    assertThat(lease.lapsed(42, 4243)).isFalse();

    lease.release();
    assertThat(leases.read("a-1")).isEmpty();
  }
}
