package dev.scoville.benchmarks;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The series store on realistic scrape data: 1,000 series of a shop's exposition scraped 1,000
 * times every 15 s with a few milliseconds of jitter (1M samples). Prints bytes per sample when it
 * sets up; measures appends per second and the latency of a typical rule query.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class SeriesStoreBenchmark {
  static final int SERIES = 1_000;
  static final int SCRAPES = 1_000;
  static final long INTERVAL_MILLIS = 15_000;
  static final long START_MILLIS = 1_800_000_000_000L;
  static final long END_MILLIS = START_MILLIS + SCRAPES * INTERVAL_MILLIS;

  /** {@code rate(http_requests_total{job="shop",code=~"5.."}[5m])} reads this. */
  static final List<LabelMatcher> RULE_QUERY =
      List.of(
          LabelMatcher.equal("__name__", "http_requests_total"),
          LabelMatcher.equal("job", "shop"),
          LabelMatcher.of("code", LabelMatcher.Op.REGEX, "5.."));

  List<List<Sample>> scrapes;
  SeriesStore full;

  @Setup
  public void fillStore() {
    scrapes = ScrapeData.generate(new Random(42));
    full = newStore();
    for (List<Sample> scrape : scrapes) {
      full.append(scrape);
    }
    System.out.printf(
        "%nstore: %d series, %d samples, %d bytes of chunks, %.3f bytes/sample%n",
        full.seriesCount(),
        full.sampleCount(),
        full.sampleBytes(),
        (double) full.sampleBytes() / full.sampleCount());
    ScrapeData.printBytesPerKind(scrapes);
  }

  static SeriesStore newStore() {
    return new SeriesStore(
        Duration.ofDays(365), Clock.fixed(Instant.ofEpochMilli(END_MILLIS), ZoneOffset.UTC));
  }

  /** Appends into a store of its own per thread, starting over when the data runs out. */
  @State(Scope.Thread)
  public static class Appender {
    SeriesStore store;
    int next;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(SERIES)
  public int appendScrape(Appender appender) {
    if (appender.store == null || appender.next == SCRAPES) {
      appender.store = newStore();
      appender.next = 0;
    }
    return appender.store.append(scrapes.get(appender.next++));
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<Series> selectRuleQueryOverFiveMinutes() {
    return full.select(RULE_QUERY, END_MILLIS - 5 * 60_000, END_MILLIS);
  }

  /**
   * What a shop's /metrics shows, 1,000 series: request counters per route, method and code (busy
   * for 200, rare for errors), latency histogram buckets, and gauges (in-flight requests, queue
   * depths, memory bytes, CPU and cache-hit ratios).
   */
  static final class ScrapeData {
    enum Kind {
      COUNTER,
      INTEGER_GAUGE,
      RATIO_GAUGE
    }

    static final String[] ROUTES = {
      "/",
      "/search",
      "/product",
      "/cart",
      "/checkout",
      "/payment",
      "/login",
      "/account",
      "/api/stock",
      "/api/price"
    };
    static final String[] CODES = {"200", "201", "304", "404", "500", "503"};
    static final String[] METHODS = {"GET", "POST"};
    static final String[] LE = {
      "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"
    };

    private ScrapeData() {}

    static List<SeriesModel> models(Random random) {
      List<SeriesModel> models = new ArrayList<>();
      for (String route : ROUTES) {
        for (String method : METHODS) {
          for (String code : CODES) {
            boolean busy = code.equals("200");
            double perSecond = busy ? 1 + random.nextDouble() * 40 : random.nextDouble() * 0.05;
            models.add(
                new SeriesModel(
                    labels("http_requests_total", "route", route, "method", method, "code", code),
                    Kind.COUNTER,
                    perSecond,
                    0));
          }
        }
        for (String method : METHODS) {
          double perSecond = 1 + random.nextDouble() * 40;
          for (int i = 0; i < LE.length; i++) {
            double share = Math.min(1, (i + 1) / 8.0);
            models.add(
                new SeriesModel(
                    labels(
                        "http_request_duration_seconds_bucket",
                        "route",
                        route,
                        "method",
                        method,
                        "le",
                        LE[i]),
                    Kind.COUNTER,
                    perSecond * share,
                    0));
          }
        }
      }
      int instance = 0;
      while (models.size() < SERIES) {
        String pod = "shop-" + (instance++);
        models.add(
            new SeriesModel(
                labels("http_requests_in_flight", "pod", pod), Kind.INTEGER_GAUGE, 20, 1));
        models.add(new SeriesModel(labels("queue_depth", "pod", pod), Kind.INTEGER_GAUGE, 100, 3));
        models.add(
            new SeriesModel(
                labels("process_resident_memory_bytes", "pod", pod),
                Kind.INTEGER_GAUGE,
                300e6,
                4096 * 50));
        models.add(
            new SeriesModel(
                labels("process_cpu_usage_ratio", "pod", pod), Kind.RATIO_GAUGE, 0.4, 0.02));
        models.add(
            new SeriesModel(labels("cache_hit_ratio", "pod", pod), Kind.RATIO_GAUGE, 0.9, 0.005));
      }
      return models.subList(0, SERIES);
    }

    static List<List<Sample>> generate(Random random) {
      List<SeriesModel> models = models(random);
      List<List<Sample>> scrapes = new ArrayList<>(SCRAPES);
      for (int s = 0; s < SCRAPES; s++) {
        List<Sample> scrape = new ArrayList<>(SERIES);
        for (SeriesModel model : models) {
          long jitter = random.nextInt(4);
          scrape.add(
              new Sample(
                  model.labels, START_MILLIS + s * INTERVAL_MILLIS + jitter, model.next(random)));
        }
        scrapes.add(scrape);
      }
      return scrapes;
    }

    /** Bytes per sample by kind of series, each kind in a store of its own. */
    static void printBytesPerKind(List<List<Sample>> scrapes) {
      for (Kind kind : Kind.values()) {
        SeriesStore store = newStore();
        for (List<Sample> scrape : scrapes) {
          store.append(scrape.stream().filter(sample -> kindOf(sample.labels()) == kind).toList());
        }
        System.out.printf(
            "  %-13s %4d series, %.3f bytes/sample%n",
            kind, store.seriesCount(), (double) store.sampleBytes() / store.sampleCount());
      }
    }

    static Kind kindOf(Labels labels) {
      String name = labels.metricName();
      if (name.startsWith("http_request")) {
        return name.equals("http_requests_in_flight") ? Kind.INTEGER_GAUGE : Kind.COUNTER;
      }
      return name.endsWith("_ratio") ? Kind.RATIO_GAUGE : Kind.INTEGER_GAUGE;
    }

    private static Labels labels(String name, String... namesAndValues) {
      String[] all = new String[namesAndValues.length + 4];
      all[0] = "__name__";
      all[1] = name;
      all[2] = "job";
      all[3] = "shop";
      System.arraycopy(namesAndValues, 0, all, 4, namesAndValues.length);
      return Labels.of(all);
    }
  }

  /**
   * One series' behaviour: a counter grows by a Poisson-like count per scrape; an integer gauge
   * wanders in whole steps and often stays put; a ratio gauge wanders with two decimals.
   */
  static final class SeriesModel {
    final Labels labels;
    final ScrapeData.Kind kind;
    final double step;
    double value;

    SeriesModel(Labels labels, ScrapeData.Kind kind, double rateOrLevel, double step) {
      this.labels = labels;
      this.kind = kind;
      this.step = kind == ScrapeData.Kind.COUNTER ? rateOrLevel * INTERVAL_MILLIS / 1000 : step;
      this.value = kind == ScrapeData.Kind.COUNTER ? 0 : rateOrLevel;
    }

    double next(Random random) {
      switch (kind) {
        case COUNTER -> {
          double mean = step;
          value += Math.max(0, Math.round(mean + random.nextGaussian() * Math.sqrt(mean)));
        }
        case INTEGER_GAUGE -> {
          if (random.nextInt(3) != 0) {
            value = Math.max(0, value + Math.round(random.nextGaussian() * 3) * step);
          }
        }
        case RATIO_GAUGE -> {
          double wandered = Math.min(1, Math.max(0, value + random.nextGaussian() * step));
          value = Math.round(wandered * 100) / 100.0;
        }
      }
      return value;
    }
  }
}
