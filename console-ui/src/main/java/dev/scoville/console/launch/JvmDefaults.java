package dev.scoville.console.launch;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The JVM options Scoville runs with when it is started with none ({@code java -jar
 * scoville.jar}): it then starts itself again with them, as Elasticsearch's launcher does, because
 * the JVM's defaults on a server (G1, a quarter of the machine's memory as heap) cost about twice
 * the CPU per scraped sample and several times the memory. Any JVM option given on the command
 * line (or in {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}) means the user chose: nothing
 * is added then.
 */
public final class JvmDefaults {
  /**
   * Heap per series besides its samples: label set, label index entries, scrape cache entry (with
   * its share of the target's reused body and batch) and history id, measured 1,139–1,307 bytes
   * by the scrape harness's heap after a full collection.
   */
  static final long BYTES_PER_SERIES = 1_400;

  /** Gorilla chunks: 1.5–2 bytes per sample kept in memory. */
  static final long BYTES_PER_SAMPLE = 2;

  /** The console, rules, H2's cache and the libraries, with no series. */
  static final long BASE_BYTES = 100L << 20;

  static final long MIN_HEAP_MIB = 256;

  /**
   * The heap starts small and grows as the collector needs, rather than at the JVM's default of a
   * 64th of the machine's memory (384 MiB on 24 GB, a third of it a young generation that is all
   * touched): the demo holds 261 instead of 345 MiB of RSS after 150 s. A smaller young
   * generation and tighter free ratios were measured and not taken: {@code -Xmn24m} cut the scrape
   * harness's RSS from 371 to 289 MiB, but the alert pipeline, which allocates about 350 KB per
   * alert, doubled its p99 at 500 alerts/s (README, "Running it: JVM options").
   */
  static final String INITIAL_HEAP = "-Xms32m";

  /**
   * The JDK copies a heap buffer written to a file through a direct buffer of the thread's, and
   * keeps the largest it needed: H2 writes the history's minute as one store of several MB, and its
   * writer threads held 19 MiB of native memory for it. Larger copies are freed after use.
   */
  static final String NIO_CACHED_BUFFER = "-Djdk.nio.maxCachedBufferSize=262144";

  /**
   * glibc gives each thread that mallocs an arena of its own, up to 8 per core, and keeps what the
   * JIT compilers freed in them: two arenas cost Scoville's ingest 38 MiB less RSS (README).
   */
  public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  /** The launching process's pid, passed to the JVM it starts. */
  static final String LAUNCHER_PID = "scoville.launcher.pid";

  private JvmDefaults() {}

  /**
   * The maximum heap for {@code series} series that keep {@code retention} of samples scraped
   * every {@code interval}: twice what they hold live, the room the serial collector needs to
   * promote into and to collect seldom.
   */
  public static long heapMiB(long series, Duration retention, Duration interval) {
    long samplesKept = retention.toMillis() / Math.max(1, interval.toMillis());
    long live = BASE_BYTES + series * (BYTES_PER_SERIES + samplesKept * BYTES_PER_SAMPLE);
    return Math.max(MIN_HEAP_MIB, (2 * live + (1 << 20) - 1) >> 20);
  }

  /**
   * The serial collector: it spends the least CPU and memory per scraped sample of the JVM's
   * collectors at Scoville's allocation rate (measured side by side with Prometheus, README). On
   * Linux also transparent huge pages for the heap, where 100,000 series' appends each reach
   * memory no cache holds and 4 KiB pages add a page-table walk to every miss, and giving back
   * every 5 s the native memory the JIT compilers freed. Each only if this JVM knows the flag: the
   * JVM started is this one's, and an unknown flag would stop it from starting.
   */
  public static List<String> options(long heapMiB) {
    return options(heapMiB, JvmDefaults::knows);
  }

  static List<String> options(long heapMiB, Predicate<String> knownFlag) {
    List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", INITIAL_HEAP, "-Xmx" + heapMiB + "m", NIO_CACHED_BUFFER));
    if (knownFlag.test("UseTransparentHugePages")) {
      options.add("-XX:+UseTransparentHugePages");
    }
    if (knownFlag.test("TrimNativeHeapInterval")) {
      options.add("-XX:TrimNativeHeapInterval=5000");
    }
    return options;
  }

  /** Whether this JVM has the flag (Linux-only flags, and some newer than Java 17's first builds). */
  private static boolean knows(String flag) {
    HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotSpot == null) {
      return false;
    }
    try {
      hotSpot.getVMOption(flag);
      return true;
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }

  /** Whether the JVM was started with no option of the user's, from its input arguments and environment. */
  public static boolean noneGiven(List<String> inputArguments, Map<String, String> environment) {
    return inputArguments.isEmpty() && isBlank(environment.get("JAVA_TOOL_OPTIONS"))
        && isBlank(environment.get("JDK_JAVA_OPTIONS"));
  }

  /**
   * Runs {@code mainClass} with {@code args} in a JVM of its own started with {@code options}, the
   * same java and class path and {@link #ENVIRONMENT} (where the environment does not set it
   * already), sharing this process's input and output; stops it when this process is stopped.
   * Returns its exit code.
   */
  public static int relaunch(List<String> options, String mainClass, String[] args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(options);
    command.add("-D" + LAUNCHER_PID + "=" + ProcessHandle.current().pid());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    ENVIRONMENT.forEach(builder.environment()::putIfAbsent);
    Process child = builder.start();
    Thread stop = new Thread(() -> {
      child.destroy();
      try {
        child.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "stop-scoville");
    Runtime.getRuntime().addShutdownHook(stop);
    int exit = child.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stop);
    } catch (IllegalStateException shuttingDown) {
      // This process is being stopped: the hook stopped the child, and runs to its end.
    }
    return exit;
  }

  /**
   * In a JVM that {@link #relaunch} started: exits when the launching process is gone, so that
   * killing it outright ({@code kill -9}, which runs no shutdown hook) leaves nothing running.
   */
  public static void exitWithLauncher() {
    String pid = System.getProperty(LAUNCHER_PID);
    if (pid != null) {
      ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(
          launcher -> launcher.onExit().thenRun(() -> System.exit(1)), () -> System.exit(1));
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
