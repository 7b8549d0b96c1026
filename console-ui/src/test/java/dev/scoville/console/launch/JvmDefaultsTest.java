package dev.scoville.console.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    assertThat(JvmDefaults.options(256, flag -> false)).containsExactly("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m",
        "-Djdk.nio.maxCachedBufferSize=262144");
  }

  @Test
  void hugePagesAndNativeTrimmingOnlyWhereTheJvmKnowsTheFlags() {
    assertThat(JvmDefaults.options(512, flag -> true)).containsExactly("-XX:+UseSerialGC", "-Xms32m", "-Xmx512m",
        "-Djdk.nio.maxCachedBufferSize=262144", "-XX:+UseTransparentHugePages", "-XX:TrimNativeHeapInterval=5000");
    assertThat(JvmDefaults.options(512, flag -> flag.equals("UseTransparentHugePages")))
        .containsExactly("-XX:+UseSerialGC", "-Xms32m", "-Xmx512m", "-Djdk.nio.maxCachedBufferSize=262144",
            "-XX:+UseTransparentHugePages");
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
    assertThat(Files.readAllLines(seen)).contains("-XX:+UseSerialGC", "-Xmx64m", "--config", "x.yaml",
        "-Dscoville.launcher.pid=" + ProcessHandle.current().pid(),
        "MALLOC_ARENA_MAX=" + System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2"));
  }

  /** Writes its JVM options, arguments and malloc arenas to the file named first, and exits with 3. */
  public static final class WriteWhatItWasStartedWith {
    public static void main(String[] args) throws Exception {
      List<String> lines = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
      lines.addAll(List.of(args).subList(1, args.length));
      lines.add("MALLOC_ARENA_MAX=" + System.getenv("MALLOC_ARENA_MAX"));
      Files.write(Path.of(args[0]), lines);
      System.exit(3);
    }
  }

  @Test
  void theRelaunchedJvmExitsWhenItsLauncherIsKilledOutright(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Process launcher = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
        System.getProperty("java.class.path"), Launch.class.getName(), pidFile.toString()).inheritIO().start();
    long childPid = 0;
    try {
      for (int i = 0; i < 600 && !Files.exists(pidFile); i++) {
        Thread.sleep(100);
      }
      childPid = Long.parseLong(Files.readString(pidFile).trim());

      launcher.destroyForcibly().waitFor();

      Optional<ProcessHandle> child = ProcessHandle.of(childPid);
      if (child.isPresent()) {
        child.get().onExit().get(60, TimeUnit.SECONDS);
      }
      assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    } finally {
      launcher.destroyForcibly();
      ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** A launcher as Main is one: relaunches {@link StayUntilTheLauncherGoes}. */
  public static final class Launch {
    public static void main(String[] args) throws Exception {
      System.exit(JvmDefaults.relaunch(List.of("-Xmx64m"), StayUntilTheLauncherGoes.class.getName(), args));
    }
  }

  /** Writes its pid to the file named first, then waits as Scoville runs, until its launcher is gone. */
  public static final class StayUntilTheLauncherGoes {
    public static void main(String[] args) throws Exception {
      JvmDefaults.exitWithLauncher();
      Path written = Path.of(args[0] + ".tmp");
      Files.writeString(written, String.valueOf(ProcessHandle.current().pid()));
      Files.move(written, Path.of(args[0]), StandardCopyOption.ATOMIC_MOVE);
      Thread.sleep(120_000);
    }
  }
}
