package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.ConfigFile;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeConfigTest {
  @Test
  void aJobWrittenWithOnlyItsNameAndTargetsHasNoLimitsAndTheDefaults() {
    ConfigFile file = ConfigFile.parse("scoville.yaml", """
        scrape:
          interval: 5s
          jobs:
            - name: shop
              targets: [http://127.0.0.1:9100/metrics]
        """, Map.of());

    ScrapeConfig scrape = file.section("scrape", ScrapeConfig.class, ScrapeConfig.none());

    assertThat(scrape.interval()).isEqualTo(Duration.ofSeconds(5));
    ScrapeConfig.Job job = scrape.jobs().get(0);
    assertThat(job.targets()).containsExactly(URI.create("http://127.0.0.1:9100/metrics"));
    assertThat(job.sampleLimit()).isZero();
    assertThat(job.labelLimit()).isZero();
    assertThat(job.labelNameLengthLimit()).isZero();
    assertThat(job.labelValueLengthLimit()).isZero();
    assertThat(job.targetLimit()).isZero();
    assertThat(job.bodySizeLimitBytes()).isEqualTo(ScrapeConfig.Job.DEFAULT_BODY_SIZE_LIMIT);
  }

  @Test
  void limitsWrittenAreKept() {
    ConfigFile file = ConfigFile.parse("scoville.yaml", """
        scrape:
          jobs:
            - name: shop
              targets: [http://127.0.0.1:9100/metrics]
              sampleLimit: 5000
              targetLimit: 3
        """, Map.of());

    ScrapeConfig.Job job = file.section("scrape", ScrapeConfig.class, ScrapeConfig.none()).jobs().get(0);

    assertThat(job.sampleLimit()).isEqualTo(5000);
    assertThat(job.targetLimit()).isEqualTo(3);
    assertThat(job.labelLimit()).isZero();
  }
}
