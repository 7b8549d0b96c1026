package dev.scoville.benchmarks;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlException;
import dev.scoville.rules.promql.Query;
import dev.scoville.rules.promql.VectorSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rule evaluation over a store of 100,000 series (1,000 shops' request counters: 5 routes × 4
 * status codes × 5 instances, scraped every 15 s for 10 minutes): a typical alert rule that reads
 * one shop's series, and one that aggregates all 100,000. Evaluations per second is what the
 * evaluator can sustain on one thread.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RuleEvaluationBenchmark {
  static final long START = 1_800_000_000_000L;
  static final int SCRAPES = 40;
  static final long NOW = START + (SCRAPES - 1) * 15_000L;

  SeriesStore store;
  Query oneShopErrorRatio;
  Query fleetErrorRatio;

  @Setup
  public void fill() throws PromQlException {
    store = new SeriesStore(Duration.ofDays(1), Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    String[] routes = {"/", "/product", "/cart", "/checkout", "/payment"};
    String[] codes = {"200", "404", "500", "502"};
    List<Labels> series = new ArrayList<>();
    for (int shop = 0; shop < 1_000; shop++) {
      for (String route : routes) {
        for (String code : codes) {
          for (int instance = 0; instance < 5; instance++) {
            series.add(Labels.of("__name__", "http_requests_total", "shop", "s" + shop, "route", route,
                "code", code, "instance", "10.0." + shop / 250 + "." + instance));
          }
        }
      }
    }
    for (int scrape = 0; scrape < SCRAPES; scrape++) {
      List<Sample> samples = new ArrayList<>(series.size());
      for (int i = 0; i < series.size(); i++) {
        samples.add(new Sample(series.get(i), START + scrape * 15_000L, (double) scrape * (1 + i % 7)));
      }
      store.append(samples);
    }
    oneShopErrorRatio = PromQl.parse("sum(rate(http_requests_total{shop=\"s42\",code=~\"5..\"}[5m]))"
        + " / sum(rate(http_requests_total{shop=\"s42\"}[5m])) > 0.05");
    fleetErrorRatio = PromQl.parse("sum by (route) (rate(http_requests_total{code=~\"5..\"}[5m]))"
        + " / sum by (route) (rate(http_requests_total[5m])) > 0.05");
    System.out.println("store: " + store.seriesCount() + " series, " + store.sampleCount() + " samples");
  }

  @Benchmark
  public List<VectorSample> ruleOverOneShop() {
    return oneShopErrorRatio.evaluate(store, NOW);
  }

  @Benchmark
  public List<VectorSample> ruleOverAllSeries() {
    return fleetErrorRatio.evaluate(store, NOW);
  }
}
