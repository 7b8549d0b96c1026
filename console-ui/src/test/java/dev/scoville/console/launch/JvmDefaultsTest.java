package dev.scoville.console.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JvmDefaultsTest {
  @Test
  void theHeapIsTwiceWhatTheSeriesAndTheirSamplesHoldLive() {
    // 100,000 series scraped every 15 s for 6 h: 1,440 samples each.
    long live = (100L << 20) + 100_000L * (1_300 + 1_440 * 2);
    assertThat(JvmDefaults.heapMiB(100_000, Duration.ofHours(6), Duration.ofSeconds(15)))
        .isEqualTo((2 * live + (1 << 20) - 1) >> 20)
        .isEqualTo(998);
  }

  @Test
  void aSmallSetupGetsTheMinimumHeap() {
    assertThat(JvmDefaults.heapMiB(1_000, Duration.ofHours(6), Duration.ofSeconds(15))).isEqualTo(256);
    assertThat(JvmDefaults.options(256)).containsExactly("-XX:+UseSerialGC", "-Xmx256m");
  }

  @Test
  void anyOptionOfTheUsersMeansTheyChose() {
    assertThat(JvmDefaults.noneGiven(List.of(), Map.of())).isTrue();
    assertThat(JvmDefaults.noneGiven(List.of(), Map.of("JAVA_TOOL_OPTIONS", " "))).isTrue();
    assertThat(JvmDefaults.noneGiven(List.of("-Xmx2g"), Map.of())).isFalse();
    assertThat(JvmDefaults.noneGiven(List.of(), Map.of("JAVA_TOOL_OPTIONS", "-Xmx2g"))).isFalse();
    assertThat(JvmDefaults.noneGiven(List.of(), Map.of("JDK_JAVA_OPTIONS", "-XX:+UseG1GC"))).isFalse();
  }
}
