package dev.scoville.benchmarks;

import dev.scoville.collector.exposition.Exposition;
import dev.scoville.collector.exposition.ExpositionException;
import dev.scoville.collector.exposition.ExpositionFormat;
import dev.scoville.collector.exposition.ExpositionParser;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parses a 10,000-series scrape (about 1 MB) of the shape a shop's web tier exposes: counters with
 * several labels, 10-bucket latency histograms, gauges, a few escaped label values. The {@code
 * samples} and {@code megabytes} lines of the result are samples/s and MB/s (1 MB = 10^6 bytes),
 * counted by JMH per operation.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ExpositionParserBenchmark -f 1 -wi 3 -i 5 -w
 * 2s -r 3s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ExpositionParserBenchmark {
  static final int SERIES = 10_000;
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
  private static final String[] CODES = {"200", "201", "301", "400", "404", "500", "503"};

  private byte[] text;
  private byte[] openMetrics;

  /** Samples and megabytes parsed, which JMH reports per second next to the operations. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Parsed {
    public long samples;
    public double megabytes;

    @Setup(Level.Iteration)
    public void reset() {
      samples = 0;
      megabytes = 0;
    }
  }

  @Setup
  public void generate() {
    text = Payload.generate(false).getBytes(StandardCharsets.UTF_8);
    openMetrics = Payload.generate(true).getBytes(StandardCharsets.UTF_8);
    System.out.printf(
        Locale.ROOT,
        "%npayload: %,d series; text %,d bytes; OpenMetrics %,d bytes%n",
        SERIES,
        text.length,
        openMetrics.length);
  }

  @Benchmark
  public Exposition parseText(Parsed parsed) throws ExpositionException {
    return count(
        ExpositionParser.parse(text, ExpositionFormat.TEXT_0_0_4, 1_700_000_000_000L),
        text,
        parsed);
  }

  @Benchmark
  public Exposition parseOpenMetrics(Parsed parsed) throws ExpositionException {
    return count(
        ExpositionParser.parse(openMetrics, ExpositionFormat.OPENMETRICS_1_0_0, 1_700_000_000_000L),
        openMetrics,
        parsed);
  }

  private static Exposition count(Exposition exposition, byte[] body, Parsed parsed) {
    parsed.samples += exposition.samples().size();
    parsed.megabytes += body.length / 1e6;
    return exposition;
  }

  /** Builds the payload from a fixed seed, so every run parses the same bytes. */
  public static final class Payload {
    private final StringBuilder sb = new StringBuilder(1 << 20);
    private final Random random = new Random(20261123);
    private final boolean openMetrics;
    private int series;

    private Payload(boolean openMetrics) {
      this.openMetrics = openMetrics;
    }

    public static String generate(boolean openMetrics) {
      return new Payload(openMetrics).build();
    }

    private String build() {
      int instances = 4;
      // 4 instances x 40 routes x 2 methods = 320 histograms of 12 series: 3,840 series.
      family(
          "http_request_duration_seconds",
          "histogram",
          "Latency of HTTP requests, by route.",
          "seconds");
      for (int instance = 0; instance < instances; instance++) {
        for (int route = 0; route < 40; route++) {
          for (int m = 0; m < 2; m++) {
            histogram(instance, route, METHODS[m]);
          }
        }
      }
      // 4 instances x 40 routes x 4 methods x 7 codes = 4,480 counters.
      family("http_requests", "counter", "HTTP requests answered, by route and code.", null);
      for (int instance = 0; instance < instances; instance++) {
        for (int route = 0; route < 40; route++) {
          for (String method : METHODS) {
            for (String code : CODES) {
              sample(
                  "http_requests_total",
                  "code=\"" + code + "\"," + labels(instance, route, method),
                  Long.toString(random.nextInt(5_000_000)));
            }
          }
        }
      }
      family("shop_inventory_level", "gauge", "Units in stock per SKU and warehouse.", null);
      int sku = 0;
      while (series < SERIES - 80) {
        String warehouse = (sku % 3 == 0) ? "eu-west" : (sku % 3 == 1) ? "us-east" : "ap-south";
        sample(
            "shop_inventory_level",
            "sku=\"SKU-" + (100_000 + sku) + "\",warehouse=\"" + warehouse + "\"",
            Integer.toString(random.nextInt(2000)));
        sku++;
      }
      // Escaped label values, as error messages and Windows paths give them.
      family(
          "shop_last_error_timestamp_seconds",
          "gauge",
          "When an error was last seen.\\nOne series per message.",
          "seconds");
      for (int i = 0; i < 80; i++) {
        sample(
            "shop_last_error_timestamp_seconds",
            "component=\"payment\",message=\"upstream \\\"psp-"
                + i
                + "\\\" timed out\\nretrying\",path=\"C:\\\\shop\\\\logs\\\\"
                + i
                + ".log\"",
            String.format(Locale.ROOT, "%.3f", 1_700_000_000 + random.nextDouble() * 86_400));
      }
      if (openMetrics) {
        sb.append("# EOF\n");
      }
      return sb.toString();
    }

    private void histogram(int instance, int route, String method) {
      String labels = labels(instance, route, method);
      long count = 0;
      double sum = 0;
      for (double bound : BUCKETS) {
        long inBucket = random.nextInt(400);
        count += inBucket;
        sum += inBucket * bound * 0.7;
        String le = bound == (long) bound ? Long.toString((long) bound) : Double.toString(bound);
        String value = Long.toString(count);
        if (openMetrics && random.nextInt(8) == 0) {
          value +=
              " # {trace_id=\""
                  + Long.toHexString(random.nextLong())
                  + "\"} "
                  + (bound * 0.9)
                  + " 1700000000.123";
        }
        sample("http_request_duration_seconds_bucket", labels + ",le=\"" + le + "\"", value);
      }
      sample("http_request_duration_seconds_bucket", labels + ",le=\"+Inf\"", Long.toString(count));
      sample("http_request_duration_seconds_sum", labels, String.format(Locale.ROOT, "%.6f", sum));
      sample("http_request_duration_seconds_count", labels, Long.toString(count));
    }

    /** Sorted, as client libraries write them; they add {@code le} last, which breaks the order. */
    private static String labels(int instance, int route, String method) {
      return "instance=\"shop-web-0"
          + instance
          + ".eu-west-1.internal:8080\",job=\"shop-web\",method=\""
          + method
          + "\",route=\"/api/v1/"
          + ROUTES[route % ROUTES.length]
          + (route / ROUTES.length)
          + "\"";
    }

    private static final String[] ROUTES = {
      "cart", "checkout", "products", "search", "orders", "payments", "users", "reviews"
    };

    private void family(String name, String type, String help, String unit) {
      sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
      sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      if (openMetrics && unit != null) {
        sb.append("# UNIT ").append(name).append(' ').append(unit).append('\n');
      }
    }

    private void sample(String name, String labels, String value) {
      sb.append(name).append('{').append(labels).append("} ").append(value).append('\n');
      series++;
    }
  }
}
