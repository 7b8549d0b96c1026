package dev.scoville.benchmarks;

import dev.scoville.collector.SeriesStore;
import dev.scoville.collector.events.DerivedSeries;
import dev.scoville.collector.events.EventsConfig;
import java.nio.charset.StandardCharsets;
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
 * Events/s from JSON bytes (as a Kafka record's value or a beacon's batch holds them) into the
 * derived series' windows: parse, validate, add to the sliding window, in batches of 500 as a poll
 * delivers them. The mix follows the demo shop: mostly page views over five pages, then carts,
 * checkouts, payments over two providers, orders, some stock levels and feedback; 20,000 sessions
 * within the one-minute window. The score is events per second on one thread.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar EventIngestBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class EventIngestBenchmark {
  static final int EVENTS = 20_000;
  static final int BATCH = 500;
  private static final Instant NOW = Instant.parse("2026-11-23T12:01:00Z");

  private final List<List<byte[]>> batches = new ArrayList<>();
  private DerivedSeries derived;

  @Setup
  public void setUp() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    derived =
        new DerivedSeries(
            new SeriesStore(Duration.ofHours(1), clock), clock, EventsConfig.defaults());
    Random random = new Random(42);
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      batch.add(ShopEventJson.event(random, i, NOW).getBytes(StandardCharsets.UTF_8));
      if (batch.size() == BATCH) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public int ingest() {
    int accepted = 0;
    for (List<byte[]> batch : batches) {
      accepted += derived.accept(batch, "benchmark");
    }
    return accepted;
  }
}
