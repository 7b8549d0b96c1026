package dev.scoville.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseTest {
  @Test
  void writesH2CommitsToTheFileAtOnceAndCachesMoreStatementsUnlessTheUrlSaysOtherwise() {
    assertThat(Database.tuned("jdbc:h2:file:./data/scoville")).isEqualTo("jdbc:h2:file:./data/scoville;WRITE_DELAY=0;QUERY_CACHE_SIZE=64");
    assertThat(Database.tuned("jdbc:h2:file:./x;write_delay=100")).isEqualTo("jdbc:h2:file:./x;write_delay=100;QUERY_CACHE_SIZE=64");
    assertThat(Database.tuned("jdbc:h2:mem:test")).isEqualTo("jdbc:h2:mem:test;QUERY_CACHE_SIZE=64");
    assertThat(Database.tuned("jdbc:postgresql://db/scoville")).isEqualTo("jdbc:postgresql://db/scoville");
  }

  @Test
  void onlyAnEmbeddedH2FileIsThisProcessAlone() {
    assertThat(Database.embeddedFile("jdbc:h2:file:./data/scoville")).isTrue();
    assertThat(Database.embeddedFile("jdbc:h2:./data/scoville")).isTrue();
    assertThat(Database.embeddedFile("jdbc:h2:mem:test")).isFalse();
    assertThat(Database.embeddedFile("jdbc:h2:tcp://db/scoville")).isFalse();
    assertThat(Database.embeddedFile("jdbc:h2:ssl://db/scoville")).isFalse();
    assertThat(Database.embeddedFile("jdbc:h2:file:./x;AUTO_SERVER=TRUE")).isFalse();
    assertThat(Database.embeddedFile("jdbc:postgresql://db/scoville")).isFalse();
  }
}
