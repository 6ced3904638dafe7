package org.openautoglm.oag.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TermTrackerTest {
  @Test
  void admitsTheHighestTermAndAnyHigherOneButNothingLower() {
    TermTracker terms = new TermTracker();
    assertThat(terms.admit(3)).isTrue();
    assertThat(terms.admit(3)).isTrue();
    assertThat(terms.admit(2)).isFalse();
    assertThat(terms.highest()).isEqualTo(3);
    terms.observe(5);
    assertThat(terms.admit(4)).isFalse();
    assertThat(terms.admit(6)).isTrue();
    terms.observe(1);
    assertThat(terms.highest()).isEqualTo(6);
  }
}
