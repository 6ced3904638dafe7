package org.openautoglm.oag.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultsTextTest {

  @Test
  void rewritingKeepsTheSectionsOtherScriptsOwnAndDropsTheOldComparison() {
    String old = "# Benchmark results: oag vs etcd\n\nold table\n\n"
        + "<!-- scale.sh agents: begin -->\n## Scale: agents\n\nfigures\n<!-- scale.sh agents: end -->\n\n"
        + "<!-- scale.sh footprint: begin -->\n## Scale: footprint\n<!-- scale.sh footprint: end -->\n";

    String text = ResultsText.withOwnedSections("# Benchmark results: oag vs etcd\n\nnew table\n", old);

    assertThat(text).isEqualTo("# Benchmark results: oag vs etcd\n\nnew table\n\n"
        + "<!-- scale.sh agents: begin -->\n## Scale: agents\n\nfigures\n<!-- scale.sh agents: end -->\n\n"
        + "<!-- scale.sh footprint: begin -->\n## Scale: footprint\n<!-- scale.sh footprint: end -->\n");
  }

  @Test
  void aFileWithoutMarkedSectionsIsSimplyReplaced() {
    assertThat(ResultsText.withOwnedSections("new\n", "old\n<!-- half: begin -->\nno end\n"))
        .isEqualTo("new\n");
  }
}
