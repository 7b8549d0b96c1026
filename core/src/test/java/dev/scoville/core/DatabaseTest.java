package dev.scoville.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseTest {
  @Test
  void writesH2CommitsToTheFileAtOnceUnlessTheUrlSaysOtherwise() {
    assertThat(Database.durable("jdbc:h2:file:./data/scoville")).isEqualTo("jdbc:h2:file:./data/scoville;WRITE_DELAY=0");
    assertThat(Database.durable("jdbc:h2:file:./x;write_delay=100")).isEqualTo("jdbc:h2:file:./x;write_delay=100");
    assertThat(Database.durable("jdbc:h2:mem:test")).isEqualTo("jdbc:h2:mem:test");
    assertThat(Database.durable("jdbc:postgresql://db/scoville")).isEqualTo("jdbc:postgresql://db/scoville");
  }
}
