package org.openautoglm.oag.chaos.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.history.History;
import org.openautoglm.oag.chaos.history.Op;

/** The nemesis's schedule and composed faults, on faults that only record what they do. */
class NemesisTest {
  private static final Nemesis.Schedule NO_WAITS =
      new Nemesis.Schedule(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  private final List<String> done = new ArrayList<>();
  private final History history = History.inMemory(System::nanoTime);

  private Fault recording(String name) {
    return Fault.of(name, cluster -> {
      done.add("inject " + name);
      return Fault.injection(name, () -> done.add("heal " + name));
    });
  }

  @Test
  void howeverShortTheDurationEveryFaultIsTriedOnce() throws Exception {
    List<Fault> faults = List.of(recording("a"), recording("b"), recording("c"));

    Nemesis.Injected injected = new Nemesis(null, history, faults, 7, NO_WAITS).run(Duration.ofNanos(1));

    assertThat(injected.byFault()).containsOnlyKeys("a", "b", "c").allSatisfy((f, n) -> assertThat(n).isEqualTo(1));
    assertThat(history.ops()).filteredOn(Op::isInject).hasSize(3);
    assertThat(history.ops()).filteredOn(Op::isHeal).hasSize(3);
  }

  @Test
  void bothInjectsInOrderAndHealsInReverse() throws Exception {
    Fault both = Fault.both("a+b", recording("a"), recording("b").heldAtLeast(Duration.ofMillis(5)));

    Fault.Injection injection = both.inject(null);
    injection.heal();

    assertThat(done).containsExactly("inject a", "inject b", "heal b", "heal a");
    assertThat(injection.target()).isEqualTo("a+b");
    assertThat(both.minHold()).isEqualTo(Duration.ofMillis(5));
    assertThat(both.name()).isEqualTo("a+b");
  }

  @Test
  void whenTheSecondCannotBeInjectedTheFirstIsHealed() {
    Fault failing = Fault.of("b", cluster -> {
      throw new IllegalStateException("no leader");
    });

    assertThatThrownBy(() -> Fault.both("a+b", recording("a"), failing).inject(null))
        .hasMessageContaining("no leader");
    assertThat(done).containsExactly("inject a", "heal a");
  }
}
