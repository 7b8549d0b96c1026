package dev.scoville.benchmarks;

import dev.scoville.collector.ScrapeConfig;
import dev.scoville.collector.ScrapeManager;
import dev.scoville.collector.SeriesHistory;
import dev.scoville.collector.SeriesStore;
import dev.scoville.core.Database;
import io.prometheus.client.CollectorRegistry;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Scoville's ingest as the application wires it in {@code Scoville.start}, without the console,
 * rules and API: the H2 database file, the collector's migrations, the series store with the
 * default 6 h retention refilled from history, the scrape manager, and the once-a-minute history
 * write with retention. The scrape harness runs it as a process of its own so that its CPU and
 * memory are measured alone. Reads commands on stdin: {@code stats} prints {@code samples
 * failures series}; {@code heap} collects garbage and prints the bytes of heap in use, for the
 * memory per series; end of input stops it.
 *
 * <p>{@code java -cp benchmarks.jar dev.scoville.benchmarks.HeadlessScoville <data dir>
 * <interval seconds> <file of target URLs>}
 */
public final class HeadlessScoville {
  private static final String JOB = "bench";

  private HeadlessScoville() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Duration interval = Duration.ofSeconds(Long.parseLong(args[1]));
    List<URI> targets = Files.readAllLines(Path.of(args[2])).stream().filter(l -> !l.isBlank()).map(URI::create).toList();
    Duration retention = Duration.ofHours(6);
    Clock clock = Clock.systemUTC();
    try (Database database = Database.open("jdbc:h2:file:" + dataDir.resolve("scoville").toAbsolutePath())) {
      SeriesStore store = new SeriesStore(retention, clock);
      database.migrate("collector");
      SeriesHistory history = new SeriesHistory(store, database, clock, Duration.ofDays(15));
      history.restore(retention);
      Vertx vertx = Vertx.vertx();
      ScrapeManager scrapes = new ScrapeManager(vertx, store, clock,
          new ScrapeConfig(interval, interval, List.of(ScrapeConfig.Job.of(JOB, targets))));
      vertx.setPeriodic(60_000, id -> vertx.executeBlocking(() -> {
        history.upkeep();
        return null;
      }));
      scrapes.start();
      System.out.println("started");
      BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = commands.readLine(); line != null; line = commands.readLine()) {
        if (line.equals("stats")) {
          System.out.println(counter("scoville_scraped_samples_total", new String[] {"job"}, new String[] {JOB})
              + " " + counter("scoville_scrapes_total", new String[] {"job", "result"}, new String[] {JOB, "failure"})
              + " " + store.seriesCount());
        } else if (line.equals("heap")) {
          System.gc();
          System.gc();
          Runtime runtime = Runtime.getRuntime();
          System.out.println(runtime.totalMemory() - runtime.freeMemory());
        }
      }
      scrapes.close();
      vertx.close().await();
    }
  }

  private static long counter(String name, String[] labels, String[] values) {
    Double value = CollectorRegistry.defaultRegistry.getSampleValue(name, labels, values);
    return Math.round(Objects.requireNonNullElse(value, 0.0));
  }
}
