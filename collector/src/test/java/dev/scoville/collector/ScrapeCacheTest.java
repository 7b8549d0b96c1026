package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.exposition.ExpositionReader;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ScrapeCacheTest {
  private static final UnaryOperator<Labels> AS_EXPOSED = labels -> labels.with("job", "shop");

  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), Clock.systemUTC());
  private final ScrapeCache cache = new ScrapeCache(store);

  @Test
  void aBodyOfKnownSeriesIsAppendedWithoutTheParser() throws Exception {
    learn("# HELP orders_total Orders.\n# TYPE orders_total counter\norders_total{route=\"/a\"} 1\norders_total{route=\"/b\"} 2\nup_since 7\n", 1_000);

    ScrapeCache.Batch batch = gather("# HELP orders_total Orders.\n# TYPE orders_total counter\n\n"
        + "orders_total{route=\"/a\"} 3\n  orders_total{route=\"/b\"}\t4 1500\nup_since 8", 2_000, false);

    assertThat(batch).isNotNull();
    assertThat(cache.append(batch, 2_000)).isEqualTo(3);
    assertThat(values("orders_total", "route", "/a")).containsExactly(1.0, 3.0);
    assertThat(timestamps("orders_total", "route", "/b")).containsExactly(1_000L, 1_500L);
    assertThat(values("up_since", "job", "shop")).containsExactly(7.0, 8.0);
  }

  @Test
  void valuesReadThroughTheCacheAreTheParsersBitForBit() throws Exception {
    String[] values = {"0", "-0", "007", "1.", ".5", "-0.25", "0.1", "2.675", "123456789012345", "1234567890123456",
        "0.000000000000001", "99999999999999.9", "1e3", "+5", "-1.5e-3", "NaN", "-Inf", "3.141592653589793"};
    StringBuilder first = new StringBuilder();
    StringBuilder second = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      first.append("v{i=\"").append(i).append("\"} 1\n");
      second.append("v{i=\"").append(i).append("\"} ").append(values[i]).append('\n');
    }
    learn(first.toString(), 1_000);
    List<Sample> parsed = new ExpositionReader(second.toString().getBytes(StandardCharsets.UTF_8), false, 2_000)
        .read().samples();

    ScrapeCache.Batch batch = gather(second.toString(), 2_000, false);

    assertThat(batch).isNotNull();
    cache.append(batch, 2_000);
    for (int i = 0; i < values.length; i++) {
      assertThat(values("v", "i", String.valueOf(i))).as(values[i]).containsExactly(1.0, parsed.get(i).value());
    }
  }

  @Test
  void anUnknownSeriesOrAnOddLineSendsTheBodyToTheParser() throws Exception {
    learn("orders_total{route=\"/a\"} 1\n", 1_000);

    assertThat(gather("orders_total{route=\"/a\"} 1\norders_total{route=\"/c\"} 1\n", 2_000, false)).isNull();
    assertThat(gather("orders_total{route=\"/a\"} one\n", 2_000, false)).isNull();
    assertThat(gather("orders_total{route=\"/a\"} 1 2 3\n", 2_000, false)).isNull();
    assertThat(gather("orders_total{route=\"/a\"\n", 2_000, false)).isNull();
  }

  @Test
  void labelTextWithBracesAndEscapedQuotesIsOneKey() throws Exception {
    String series = "errors_total{msg=\"say \\\"}\\\" now\",path=\"C:\\\\x\"}";
    learn(series + " 1\n", 1_000);

    ScrapeCache.Batch batch = gather(series + " 2\n", 2_000, false);

    assertThat(batch).isNotNull();
    cache.append(batch, 2_000);
    assertThat(values("errors_total", "path", "C:\\x")).containsExactly(1.0, 2.0);
  }

  @Test
  void openMetricsNeedsItsEofAndLeavesExemplarsToTheParser() throws Exception {
    learnOpenMetrics("orders_total{route=\"/a\"} 1\n# EOF\n", 1_000);

    assertThat(gather("# TYPE orders counter\norders_total{route=\"/a\"} 2 1.5\n# EOF\n", 2_000, true)).isNotNull();
    assertThat(gather("orders_total{route=\"/a\"} 2\n", 2_000, true)).isNull();
    assertThat(gather("orders_total{route=\"/a\"} 2 # {trace_id=\"x\"} 1\n# EOF\n", 2_000, true)).isNull();
  }

  @Test
  void seriesInANewOrderAreStillKnownAndTheNewOrderIsLearnt() throws Exception {
    learn("a_total 1\nb_total{x=\"1\"} 1\nc_total 1\n", 1_000);

    ScrapeCache.Batch moved = gather("c_total 2\na_total 2\nb_total{x=\"1\"} 2\n", 2_000, false);
    assertThat(moved).isNotNull();
    cache.append(moved, 2_000);
    ScrapeCache.Batch again = gather("c_total 3\na_total 3\nb_total{x=\"1\"} 3\n", 3_000, false);
    assertThat(again).isNotNull();
    cache.append(again, 3_000);

    assertThat(values("a_total", "job", "shop")).containsExactly(1.0, 2.0, 3.0);
    assertThat(values("b_total", "x", "1")).containsExactly(1.0, 2.0, 3.0);
    assertThat(values("c_total", "job", "shop")).containsExactly(1.0, 2.0, 3.0);
  }

  @Test
  void theExpectedSeriesMatchesOnlyAsAWholeSeries() throws Exception {
    learn("a_total 1\nb 1\n", 1_000);

    // Same bytes at the start of the line, but a longer name, or the name with labels after a blank.
    assertThat(gather("a_total_more 2\nb 2\n", 2_000, false)).isNull();
    assertThat(gather("a_total {x=\"1\"} 2\nb 2\n", 2_000, false)).isNull();
    assertThat(gather("a_total 2\nb 2\n", 2_000, false)).isNotNull();
  }

  @Test
  void aSeriesExposedTwiceStaysKnown() throws Exception {
    learn("a_total 1\nb_total 2\na_total 3\n", 1_000);

    ScrapeCache.Batch batch = gather("a_total 4\nb_total 5\na_total 6\n", 2_000, false);
    assertThat(batch).isNotNull();
    cache.append(batch, 2_000);
    assertThat(gather("a_total 7\nb_total 8\na_total 9\n", 3_000, false)).isNotNull();

    // As in Prometheus, the second sample of a series at one timestamp is dropped.
    assertThat(values("a_total", "job", "shop")).containsExactly(1.0, 4.0);
    assertThat(values("b_total", "job", "shop")).containsExactly(2.0, 5.0);
  }

  @Test
  void readsOnlyTheBodysLengthOfAReusedBuffer() throws Exception {
    learn("a_total 1\n", 1_000);
    byte[] buffer = "a_total 2\nnever_seen 5\n".getBytes(StandardCharsets.UTF_8);

    cache.startScrape();
    ScrapeCache.Batch batch = new ScrapeCache.Batch(16);
    assertThat(cache.gatherKnown(buffer, "a_total 2\n".length(), false, 2_000, batch)).isTrue();
    assertThat(cache.append(batch, 2_000)).isEqualTo(1);
    assertThat(values("a_total", "job", "shop")).containsExactly(1.0, 2.0);
  }

  @Test
  void aSeriesMissingFromAScrapeGetsAStalenessMarkerAndLeavesTheCache() throws Exception {
    learn("jobs{queue=\"a\"} 1\njobs{queue=\"b\"} 2\n", 1_000);

    ScrapeCache.Batch batch = gather("jobs{queue=\"a\"} 3\n", 2_000, false);
    cache.append(batch, 2_000);

    assertThat(cache.size()).isEqualTo(1);
    List<Double> b = values("jobs", "queue", "b");
    assertThat(b).hasSize(2);
    assertThat(Sample.isStale(b.get(1))).isTrue();
    assertThat(values("jobs", "queue", "a")).containsExactly(1.0, 3.0);
  }

  @Test
  void aSeriesDroppedByRelabelingIsKnownAndAppendsNothing() throws Exception {
    cache.startScrape();
    byte[] body = "kept 1\ndropped 2\n".getBytes(StandardCharsets.UTF_8);
    ExpositionReader reader = new ExpositionReader(body, false, 1_000);
    List<Sample> samples = reader.read().samples();
    ScrapeCache.Batch batch = new ScrapeCache.Batch(16);
    for (int i = 0; i < samples.size(); i++) {
      batch.add(cache.see(body, reader.seriesSpans()[2 * i], reader.seriesSpans()[2 * i + 1], samples.get(i).labels(),
          labels -> labels.metricName().equals("dropped") ? null : labels), 1_000, samples.get(i).value());
    }
    assertThat(cache.append(batch, 1_000)).isEqualTo(1);

    ScrapeCache.Batch again = gather("kept 3\ndropped 4\n", 2_000, false);

    assertThat(again).isNotNull();
    assertThat(cache.append(again, 2_000)).isEqualTo(1);
    assertThat(store.seriesCount()).isEqualTo(1);
  }

  @Test
  void tellsTheStoresListenersWhichMetricsGotSamples() throws Exception {
    List<Set<String>> told = new ArrayList<>();
    store.onAppend(told::add);
    learn("a_total 1\nb_total 1\n", 1_000);

    cache.append(gather("a_total 2\nb_total 2\n", 2_000, false), 2_000);

    assertThat(told).last().isEqualTo(Set.of("a_total", "b_total"));
  }

  private void learn(String text, long timestamp) throws Exception {
    learn(text, timestamp, false);
  }

  private void learnOpenMetrics(String text, long timestamp) throws Exception {
    learn(text, timestamp, true);
  }

  /** What the scrape manager does with a body the cache does not know. */
  private void learn(String text, long timestamp, boolean openMetrics) throws Exception {
    cache.startScrape();
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ExpositionReader reader = new ExpositionReader(body, openMetrics, timestamp);
    List<Sample> samples = reader.read().samples();
    ScrapeCache.Batch batch = new ScrapeCache.Batch(16);
    for (int i = 0; i < samples.size(); i++) {
      Sample sample = samples.get(i);
      batch.add(cache.see(body, reader.seriesSpans()[2 * i], reader.seriesSpans()[2 * i + 1], sample.labels(), AS_EXPOSED),
          sample.timestampMillis(), sample.value());
    }
    cache.append(batch, timestamp);
  }

  /** The batch of a body the cache knows throughout, or null. */
  private ScrapeCache.Batch gather(String text, long timestamp, boolean openMetrics) {
    cache.startScrape();
    ScrapeCache.Batch batch = new ScrapeCache.Batch(16);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return cache.gatherKnown(bytes, bytes.length, openMetrics, timestamp, batch) ? batch : null;
  }

  private List<Double> values(String metric, String label, String value) {
    Series series = only(metric, label, value);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      values.add(series.valueAt(i));
    }
    return values;
  }

  private List<Long> timestamps(String metric, String label, String value) {
    Series series = only(metric, label, value);
    List<Long> timestamps = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      timestamps.add(series.timestampAt(i));
    }
    return timestamps;
  }

  private Series only(String metric, String label, String value) {
    List<Series> series = store.select(List.of(LabelMatcher.equal("__name__", metric), LabelMatcher.equal(label, value)),
        0, Long.MAX_VALUE);
    assertThat(series).hasSize(1);
    return series.get(0);
  }
}
