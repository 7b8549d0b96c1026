package dev.scoville.console.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmDefaultsTest {
  @Test
  void theHeapIsTwiceWhatTheSeriesAndTheirSamplesHoldLive() {
    // 100,000 series scraped every 15 s for 6 h: 1,440 samples each.
    long live = (100L << 20) + 100_000L * (1_400 + 1_440 * 2);
    assertThat(JvmDefaults.heapMiB(100_000, Duration.ofHours(6), Duration.ofSeconds(15)))
        .isEqualTo((2 * live + (1 << 20) - 1) >> 20)
        .isEqualTo(1_017);
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

  @Test
  void theMainClassRunsAgainInAJvmStartedWithTheOptions(@TempDir Path dir) throws Exception {
    Path seen = dir.resolve("seen.txt");

    int exit = JvmDefaults.relaunch(JvmDefaults.options(64), WriteWhatItWasStartedWith.class.getName(),
        new String[] {seen.toString(), "--config", "x.yaml"});

    assertThat(exit).isEqualTo(3);
    assertThat(Files.readAllLines(seen)).contains("-XX:+UseSerialGC", "-Xmx64m", "--config", "x.yaml");
  }

  /** Writes its JVM options and arguments to the file named first, and exits with 3. */
  public static final class WriteWhatItWasStartedWith {
    public static void main(String[] args) throws Exception {
      List<String> lines = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
      lines.addAll(List.of(args).subList(1, args.length));
      Files.write(Path.of(args[0]), lines);
      System.exit(3);
    }
  }
}
