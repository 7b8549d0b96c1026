package dev.scoville.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.rules.EscalationPolicy;
import dev.scoville.rules.Rules;
import dev.scoville.rules.RulesConfig;
import dev.scoville.rules.SlackConfig;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.shop.PagerDutySink;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Time from a sample arriving in the store to PagerDuty's trigger request arriving at a local
 * Events API (the demo's sink), through the real path: rule index, coalesced evaluation, the
 * incident and its outbox row in H2, the outbox sender, the Events API over HTTP. Each of N
 * alerts starts with one breaching sample; samples arrive at a steady rate so that the figure is
 * the pipeline's latency, not a backlog's. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.scoville.benchmarks.AlertLatencyHarness [alerts] [per-second] [file|mem] [warm-up alerts]}:
 * the database is a file, written at every commit as the application's is, or in memory, to see
 * what the commits cost; the warm-up, whose alerts resolve once paged, sends as many alerts as
 * the measured round unless told otherwise (on 2 cores the JIT still compiles through a 10-second
 * warm-up: a longer one shows the process as it runs for hours).
 */
public final class AlertLatencyHarness {
  private static final int RULES = 100;

  private AlertLatencyHarness() {}

  public static void main(String[] args) throws Exception {
    int alerts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int perSecond = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    boolean inMemory = args.length > 2 && args[2].equals("mem");
    int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : alerts;
    // H2 appends what each commit changed: a gigabyte or more for 10,000 alerts a round, deleted after the run.
    Path directory = inMemory ? null : Files.createTempDirectory("scoville-latency");
    String url = inMemory ? "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
        : "jdbc:h2:file:" + directory.resolve("scoville");
    Run measured;
    // One database, one PagerDuty and one running Rules for both rounds: H2 compacts a file as it
    // closes it, which took seconds of CPU in the middle of the measured round when the warm-up had
    // a database of its own; and a Rules started again resolves at start the alerts of rules it no
    // longer has (the warm-up's), which the measured round then paid for.
    try (Database database = Database.open(url); PagerDutySink sink = PagerDutySink.start(0)) {
      SeriesStore store = new SeriesStore(java.time.Duration.ofHours(1), Clock.systemUTC());
      ConfigFile config = ConfigFile.parse("bench.yaml", rules(2), Map.of());
      PagerDutyConfig pagerDuty = new PagerDutyConfig(sink.eventsUri(), "0123456789abcdef0123456789abcdef", "bench", null);
      try (Rules rules = Rules.start(config, config.section("rules", RulesConfig.class, RulesConfig.none()), pagerDuty,
          SlackConfig.none(), Arrays.asList(new EscalationPolicy[0]), store, store::append, database, Clock.systemUTC())) {
        // A first, unmeasured round, by default as long as the measured one: the figure is for a
        // process in its steady state, as in a war room. After 2,000 alerts the JIT still took a
        // fifth of the CPU of the measured round at 1,000/s; after 10,000, a quarter to a third,
        // and after 40,000 still a quarter on a slower machine. Its alerts resolve once paged, so
        // that a long warm-up leaves the JIT settled without leaving tens of thousands of alerts
        // open, whose state the collector would then copy at every full collection.
        run(sink, store, 0, warmUp, perSecond, true);
        measured = run(sink, store, 1, alerts, perSecond, false);
        if (directory != null) {
          // Read before H2 closes the file, which compacts it: what a running process has on disk.
          System.out.printf("database file after both rounds: %d MB%n", Files.size(directory.resolve("scoville.mv.db")) >> 20);
        }
      }
    } finally {
      if (directory != null) {
        LocalResources.deleteTree(directory);
      }
    }
    if (measured == null) {
      return;
    }
    long[] latencies = measured.latencies();
    Arrays.sort(latencies);
    // The process's CPU per alert (the local PagerDuty included) holds still when other processes
    // load the machine, which the latencies do not: it says what a rate costs in cores.
    System.out.printf("%s database, %d alerts at %d/s, sample appended -> PagerDuty trigger received: p50 %.1f ms, p99 %.1f ms, max %.1f ms; CPU %.2f ms per alert"
            + " (of which the committer thread %.2f ms, the JIT compilers %.2f ms)%n",
        inMemory ? "in-memory" : "file", alerts, perSecond, latencies[alerts / 2] / 1e6, latencies[alerts * 99 / 100] / 1e6, latencies[alerts - 1] / 1e6,
        measured.cpuNanos() / 1e6 / alerts, measured.committerCpuNanos() / 1e6 / alerts, measured.jitCpuNanos() / 1e6 / alerts);
    measured.pauses().forEach((collector, pauses) -> System.out.printf("  %s: %s%n", collector, pauses));
  }

  /** The garbage collector's pauses of one collector in a round. */
  private static final class Pauses {
    private int count;
    private long totalMillis;
    private long longestMillis;

    synchronized void add(long millis) {
      count++;
      totalMillis += millis;
      longestMillis = Math.max(longestMillis, millis);
    }

    @Override
    public synchronized String toString() {
      return count + (count == 1 ? " pause, " : " pauses, ") + totalMillis + " ms in all, the longest " + longestMillis + " ms";
    }
  }

  /**
   * Counts each collector's pauses from now until {@code stop} runs: a stall of the whole pipeline
   * that the latencies show only as a tail.
   */
  private static Map<String, Pauses> watchPauses(List<Runnable> stop) {
    Map<String, Pauses> pauses = new TreeMap<>();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      Pauses own = new Pauses();
      pauses.put(collector.getName(), own);
      NotificationListener listener = (notification, handback) -> {
        if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          own.add(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo().getDuration());
        }
      };
      NotificationEmitter emitter = (NotificationEmitter) collector;
      emitter.addNotificationListener(listener, null, null);
      stop.add(() -> {
        try {
          emitter.removeNotificationListener(listener);
        } catch (ListenerNotFoundException e) {
          throw new IllegalStateException(e);
        }
      });
    }
    return pauses;
  }

  /**
   * The CPU of the incidents' committer, which every opening and outcome waits for: one thread, so
   * the rate it sustains is bounded by its CPU per alert whatever else the process does.
   */
  private static long committerCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("incident-commits"))
        .mapToLong(t -> Math.max(0, threads.getThreadCpuTime(t.getId()))).sum();
  }

  /**
   * The JIT compilers' CPU, from /proc (the JVM does not list its compiler threads among Java
   * threads): a round that still compiles this much is not yet the steady state of a long-lived process.
   */
  private static long jitCpuNanos() {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        String stat = Files.readString(task.resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // utime and stime, the 14th and 15th fields of the whole line.
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // A compiler thread that ended as it was read, or no /proc: the figure is NaN rather than wrong.
      return -1;
    }
    // Linux's clock ticks are 100 a second on every common build.
    return ticks * 10_000_000L;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Each alert's latency in nanoseconds, and the CPU the process used from the first sample to the last page. */
  private record Run(long[] latencies, long cpuNanos, long committerCpuNanos, double jitCpuNanos, Map<String, Pauses> pauses) {}

  /** The rules of {@code rounds} rounds, each with names of its own. */
  private static String rules(int rounds) {
    StringBuilder yaml = new StringBuilder("rules:\n  groups:\n    - name: bench\n      interval: 1h\n      rules:\n");
    for (int round = 0; round < rounds; round++) {
      for (int rule = 0; rule < RULES; rule++) {
        yaml.append("        - alert: R").append(round).append("QueueStuck").append(rule).append("\n")
            .append("          expr: queue_stuck_").append(round).append("_").append(rule).append(" > 0.5\n")
            .append("          labels: {severity: critical}\n")
            .append("          annotations: {summary: \"Queue {{ $labels.queue }} is stuck\"}\n");
      }
    }
    return yaml.toString();
  }

  /**
   * Round {@code round}'s alerts, with rules of its own; null when not all pages arrived. With
   * {@code resolving}, each alert's series goes back below the threshold once its page arrived,
   * and the round ends when every alert was resolved in PagerDuty too.
   */
  private static Run run(PagerDutySink sink, SeriesStore store, int round, int alerts, int perSecond, boolean resolving)
      throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    long[] latencies = new long[alerts];
    CountDownLatch received = new CountDownLatch(alerts);
    CountDownLatch resolved = new CountDownLatch(resolving ? alerts : 0);
    Queue<Integer> paged = new ConcurrentLinkedQueue<>();
    sink.onEvent(event -> {
      long now = System.nanoTime();
      if (!event.dedupKey().startsWith("scoville-R" + round + "QueueStuck")) {
        return;
      }
      if (event.eventAction().equals("resolve")) {
        resolved.countDown();
        return;
      }
      String queue = event.summary().substring("Queue ".length(), event.summary().indexOf(" is stuck"));
      latencies[Integer.parseInt(queue)] = now - sentAt.get(queue);
      if (resolving) {
        paged.add(Integer.parseInt(queue));
      }
      received.countDown();
    });
    List<Runnable> stopWatching = new ArrayList<>();
    Map<String, Pauses> pauses = watchPauses(stopWatching);
    long cpuBefore = processCpuNanos();
    long committerBefore = committerCpuNanos();
    long jitBefore = jitCpuNanos();
    long gapNanos = 1_000_000_000L / perSecond;
    long next = System.nanoTime();
    for (int i = 0; i < alerts; i++) {
      // Parked, not spinning: on a small machine a spinning sender would take a core from the pipeline.
      LockSupport.parkNanos(next - System.nanoTime());
      String queue = String.valueOf(i);
      sentAt.put(queue, System.nanoTime());
      store.append(List.of(sample(round, i, 1)));
      resolvePaged(store, round, paged);
      next += gapNanos;
    }
    boolean all = received.await(120, TimeUnit.SECONDS);
    resolvePaged(store, round, paged);
    all = all && resolved.await(120, TimeUnit.SECONDS);
    stopWatching.forEach(Runnable::run);
    if (!all) {
      System.out.println("only " + (alerts - received.getCount()) + " of " + alerts + " pages arrived, "
          + (resolving ? alerts - resolved.getCount() : 0) + " resolved");
      return null;
    }
    long jitAfter = jitCpuNanos();
    return new Run(latencies, processCpuNanos() - cpuBefore, committerCpuNanos() - committerBefore,
        jitBefore < 0 || jitAfter < 0 ? Double.NaN : jitAfter - jitBefore, pauses);
  }

  /** A sample of alert {@code alert}'s series: above the rules' threshold with 1, below it with 0. */
  private static Sample sample(int round, int alert, double value) {
    return new Sample(Labels.of("__name__", "queue_stuck_" + round + "_" + alert % RULES, "queue", String.valueOf(alert)),
        System.currentTimeMillis(), value);
  }

  /** Ends the alerts whose page arrived: only then, so that no alert stops before it was evaluated as firing. */
  private static void resolvePaged(SeriesStore store, int round, Queue<Integer> paged) {
    for (Integer alert = paged.poll(); alert != null; alert = paged.poll()) {
      store.append(List.of(sample(round, alert, 0)));
    }
  }
}
