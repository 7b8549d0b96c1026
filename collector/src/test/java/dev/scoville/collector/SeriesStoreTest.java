package dev.scoville.collector;

import static dev.scoville.core.LabelMatcher.Op.EQUAL;
import static dev.scoville.core.LabelMatcher.Op.NOT_EQUAL;
import static dev.scoville.core.LabelMatcher.Op.NOT_REGEX;
import static dev.scoville.core.LabelMatcher.Op.REGEX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SeriesStoreTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final Labels GET_200 =
      Labels.of("__name__", "http_requests_total", "method", "GET", "code", "200");
  private static final Labels GET_500 =
      Labels.of("__name__", "http_requests_total", "method", "GET", "code", "500");
  private static final Labels POST_503 =
      Labels.of("__name__", "http_requests_total", "method", "POST", "code", "503");
  private static final Labels UP = Labels.of("__name__", "up", "job", "shop");

  private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));
  private final SeriesStore store = new SeriesStore(Duration.ofHours(6), clock);

  @Test
  void historysMinuteCopiesGoOnWhereTheLastStoppedThroughSealsAndRetention() {
    MemSeries series = new MemSeries(UP);
    // Copied first with the same scratch each minute: nothing of its longer chunks may leak into the next copy.
    MemSeries noisy = new MemSeries(POST_503);
    MemSeries.CopyScratch scratch = new MemSeries.CopyScratch();
    Random random = new Random(5);
    long minute = 60_000;
    long next = T0;
    double value = 0;
    for (int m = 0; m < 45; m++) {
      long end = T0 + (m + 1) * minute;
      // Scrapes up to 10 s into the next minute, as history copies a minute once it is that late.
      while (next < end + 10_000) {
        int shape = random.nextInt(4);
        value = shape == 0 ? value : shape == 1 ? value + 0.25 : shape == 2 ? random.nextDouble() : Math.round(value) + 3;
        series.append(next, value);
        noisy.append(next, random.nextDouble());
        next += 5_000 + random.nextInt(7) - 3;
      }
      if (m == 30) {
        // retention re-encodes the head from a sample in its middle: the place saved is not in it any more
        series.dropBefore(end - 3 * minute - 2_500);
      }
      long from = T0 + m * minute;

      assertThat(noisy.copy(from, end - 1, scratch)).isTrue();
      assertThat(series.copy(from, end - 1, scratch)).isTrue();

      Series expected = series.read(from, end - 1);
      ChunkIterator it = scratch.samples().toChunk().iterator();
      for (int i = 0; i < expected.size(); i++) {
        assertThat(it.next()).isTrue();
        assertThat(it.timestamp()).as("minute %d sample %d", m, i).isEqualTo(expected.timestampAt(i));
        assertThat(it.value()).as("minute %d sample %d", m, i).isEqualTo(expected.valueAt(i));
      }
      assertThat(it.next()).isFalse();
    }
  }

  @Test
  void returnsAppendedSamplesOldestFirstAcrossChunks() {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      samples.add(new Sample(UP, T0 + i * 15_000L, i % 7));
    }

    assertThat(store.append(samples)).isEqualTo(1_000);

    Series series =
        only(store.select(List.of(LabelMatcher.equal("__name__", "up")), 0, Long.MAX_VALUE));
    assertThat(series.labels()).isEqualTo(UP);
    assertThat(series.size()).isEqualTo(1_000);
    for (int i = 0; i < 1_000; i++) {
      assertThat(series.timestampAt(i)).isEqualTo(T0 + i * 15_000L);
      assertThat(series.valueAt(i)).isEqualTo(i % 7);
    }
    assertThat(store.sampleCount()).isEqualTo(1_000);
    assertThat(store.seriesCount()).isEqualTo(1);
    // raw, a sample takes 16 bytes
    assertThat(store.sampleBytes()).isPositive().isLessThan(16_000 / 4);
  }

  @Test
  void dropsSamplesNotNewerThanTheSeriesLastOne() {
    store.append(List.of(new Sample(UP, T0 + 2_000, 1)));

    int appended =
        store.append(
            List.of(
                new Sample(UP, T0 + 1_000, 2),
                new Sample(UP, T0 + 2_000, 3),
                new Sample(UP, T0 + 3_000, 4),
                new Sample(UP, T0 + 3_000, 5)));

    assertThat(appended).isEqualTo(1);
    Series series =
        only(store.select(List.of(LabelMatcher.equal("job", "shop")), 0, Long.MAX_VALUE));
    assertThat(values(series)).containsExactly(1.0, 4.0);
  }

  @Test
  void keepsStalenessMarkersAsValues() {
    store.append(List.of(new Sample(UP, T0, 1), new Sample(UP, T0 + 15_000, Sample.STALE_NAN)));

    Series series = only(store.select(List.of(LabelMatcher.equal("job", "shop")), T0, T0 + 15_000));
    assertThat(Sample.isStale(series.valueAt(1))).isTrue();
  }

  @Test
  void selectsOnlySamplesInTheRangeAndOnlySeriesHavingSome() {
    for (int i = 0; i < 300; i++) {
      store.append(List.of(new Sample(GET_200, T0 + i * 1_000L, i)));
    }
    store.append(List.of(new Sample(GET_500, T0, 1)));

    List<Series> selected =
        store.select(
            List.of(LabelMatcher.equal("__name__", "http_requests_total")),
            T0 + 100_000,
            T0 + 199_000);

    Series series = only(selected);
    assertThat(series.labels()).isEqualTo(GET_200);
    assertThat(series.size()).isEqualTo(100);
    assertThat(series.timestampAt(0)).isEqualTo(T0 + 100_000);
    assertThat(series.timestampAt(99)).isEqualTo(T0 + 199_000);
  }

  @Test
  void selectsWithEachMatcherKind() {
    appendOneSampleEach(GET_200, GET_500, POST_503, UP);
    LabelMatcher requests = LabelMatcher.equal("__name__", "http_requests_total");

    assertThat(labelsOf(List.of(requests, LabelMatcher.of("code", EQUAL, "500"))))
        .containsExactly(GET_500);
    assertThat(labelsOf(List.of(requests, LabelMatcher.of("method", NOT_EQUAL, "GET"))))
        .containsExactly(POST_503);
    assertThat(labelsOf(List.of(requests, LabelMatcher.of("code", REGEX, "5.."))))
        .containsExactlyInAnyOrder(GET_500, POST_503);
    assertThat(
            labelsOf(
                List.of(
                    LabelMatcher.of("code", REGEX, "5.."),
                    LabelMatcher.of("method", NOT_REGEX, "P.*"))))
        .containsExactly(GET_500);
    assertThat(labelsOf(List.of(LabelMatcher.of("__name__", REGEX, "http_.*|up")))).hasSize(4);
    assertThat(labelsOf(List.of(requests, LabelMatcher.of("code", EQUAL, "404")))).isEmpty();
    assertThat(labelsOf(List.of(LabelMatcher.of("nope", EQUAL, "x")))).isEmpty();
  }

  @Test
  void matchersMatchingTheEmptyStringAlsoSelectSeriesLackingTheLabel() {
    appendOneSampleEach(GET_200, UP);

    assertThat(labelsOf(List.of(LabelMatcher.of("code", NOT_EQUAL, "200")))).containsExactly(UP);
    assertThat(labelsOf(List.of(LabelMatcher.of("job", EQUAL, "")))).containsExactly(GET_200);
    assertThat(labelsOf(List.of(LabelMatcher.of("code", REGEX, "2..|"))))
        .containsExactly(GET_200, UP);
    assertThat(labelsOf(List.of(LabelMatcher.of("job", NOT_REGEX, "shop"))))
        .containsExactly(GET_200);
    assertThat(labelsOf(List.of())).containsExactly(GET_200, UP);
  }

  @Test
  void tellsListenersTheMetricNamesOfEachBatch() {
    List<Set<String>> told = new CopyOnWriteArrayList<>();
    store.onAppend(told::add);

    store.append(
        List.of(new Sample(GET_200, T0, 1), new Sample(GET_500, T0, 1), new Sample(UP, T0, 1)));
    store.append(List.of(new Sample(UP, T0, 2)));

    assertThat(told).containsExactly(Set.of("http_requests_total", "up"));
  }

  @Test
  void forgetsSamplesOlderThanRetentionAndSeriesLeftEmpty() {
    for (int i = 0; i < 8 * 60; i++) {
      store.append(List.of(new Sample(UP, T0 + i * 60_000L, i)));
    }
    store.append(List.of(new Sample(GET_200, T0, 1)));
    clock.advance(Duration.ofHours(8));

    store.dropExpired();

    assertThat(store.seriesCount()).isEqualTo(1);
    Series series =
        only(store.select(List.of(LabelMatcher.equal("job", "shop")), 0, Long.MAX_VALUE));
    assertThat(series.timestampAt(0)).isEqualTo(T0 + 2 * 60 * 60_000L);
    assertThat(series.size()).isEqualTo(6 * 60);
    assertThat(store.sampleCount()).isEqualTo(6 * 60);
    assertThat(store.select(List.of(LabelMatcher.equal("code", "200")), 0, Long.MAX_VALUE))
        .isEmpty();
  }

  @Test
  void aSeriesDroppedByRetentionComesBackWithNewSamples() {
    store.append(List.of(new Sample(UP, T0, 1)));
    clock.advance(Duration.ofHours(7));
    store.dropExpired();

    store.append(List.of(new Sample(UP, T0 + Duration.ofHours(7).toMillis(), 2)));

    Series series =
        only(store.select(List.of(LabelMatcher.equal("job", "shop")), 0, Long.MAX_VALUE));
    assertThat(values(series)).containsExactly(2.0);
  }

  @Test
  void concurrentAppendsToDisjointSeriesAllLand() throws Exception {
    int threads = 8;
    int seriesPerThread = 50;
    int samplesPerSeries = 400;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> appenders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      appenders.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < samplesPerSeries; i++) {
                  List<Sample> batch = new ArrayList<>();
                  for (int s = 0; s < seriesPerThread; s++) {
                    Labels labels =
                        Labels.of("__name__", "load", "thread", "t" + thread, "series", "s" + s);
                    batch.add(new Sample(labels, T0 + i * 15_000L, i * 0.5));
                  }
                  store.append(batch);
                }
                return null;
              }));
    }
    Future<Integer> reader =
        pool.submit(
            () -> {
              start.await();
              int checked = 0;
              while (!appenders.stream().allMatch(Future::isDone)) {
                for (Series series :
                    store.select(
                        List.of(LabelMatcher.equal("__name__", "load")), 0, Long.MAX_VALUE)) {
                  assertConsecutive(series);
                  checked++;
                }
              }
              return checked;
            });

    start.countDown();
    for (Future<?> appender : appenders) {
      appender.get(60, TimeUnit.SECONDS);
    }
    reader.get(60, TimeUnit.SECONDS);
    pool.shutdown();

    assertThat(store.seriesCount()).isEqualTo(threads * seriesPerThread);
    assertThat(store.sampleCount()).isEqualTo((long) threads * seriesPerThread * samplesPerSeries);
    List<Series> all =
        store.select(List.of(LabelMatcher.equal("__name__", "load")), 0, Long.MAX_VALUE);
    assertThat(all).hasSize(threads * seriesPerThread);
    for (Series series : all) {
      assertThat(series.size()).isEqualTo(samplesPerSeries);
      assertConsecutive(series);
    }
  }

  @Test
  void appendsRacingWithRetentionLoseNoRetainedSample() throws Exception {
    long now = clock.millis();
    long expired = now - Duration.ofHours(7).toMillis();
    int threads = 4;
    int seriesPerThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    List<Future<?>> appenders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      appenders.add(
          pool.submit(
              () -> {
                for (int s = 0; s < seriesPerThread; s++) {
                  Labels labels = Labels.of("__name__", "churn", "series", thread + "-" + s);
                  store.append(List.of(new Sample(labels, expired, 1)));
                  store.append(List.of(new Sample(labels, now - 1_000, 2)));
                  store.append(List.of(new Sample(labels, now, 3)));
                }
                return null;
              }));
    }
    Future<?> dropper =
        pool.submit(
            () -> {
              while (!appenders.stream().allMatch(Future::isDone)) {
                store.dropExpired();
              }
            });
    for (Future<?> appender : appenders) {
      appender.get(60, TimeUnit.SECONDS);
    }
    dropper.get(60, TimeUnit.SECONDS);
    pool.shutdown();

    store.dropExpired();

    List<Series> all = store.select(List.of(LabelMatcher.equal("__name__", "churn")), 0, now);
    assertThat(all).hasSize(threads * seriesPerThread);
    for (Series series : all) {
      assertThat(values(series)).as(series.toString()).containsExactly(2.0, 3.0);
    }
    assertThat(store.seriesCount()).isEqualTo(threads * seriesPerThread);
  }

  @Test
  @Timeout(60)
  void readersOfASeriesBeingAppendedSeeEveryPrefixWhole() throws Exception {
    int samples = 2_000_000;
    // The series itself, so that reads and appends come as fast as they can and race often.
    MemSeries series = store.seriesFor(UP);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch start = new CountDownLatch(1);
    Future<?> writer =
        pool.submit(
            () -> {
              start.await();
              for (int i = 0; i < samples; i++) {
                // values that take each of the chunk's encodings: repeats, decimal steps, XORs
                series.append(T0 + i * 15_000L, i % 3 == 0 ? i * 0.5 : Math.sqrt(i));
              }
              return null;
            });
    List<Future<Integer>> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      readers.add(
          pool.submit(
              () -> {
                start.await();
                int seen = 0;
                int reads = 0;
                while (!writer.isDone() || reads == 0) {
                  // the last samples (the head's copy, a chunk just sealed) and now and then all
                  long from = reads % 64 == 0 ? 0 : T0 + Math.max(0, seen - 130) * 15_000L;
                  Series read = series.read(from, Long.MAX_VALUE);
                  if (read != null) {
                    int first = (int) ((read.timestampAt(0) - T0) / 15_000L);
                    for (int i = 0; i < read.size(); i++) {
                      int n = first + i;
                      assertThat(read.timestampAt(i)).isEqualTo(T0 + n * 15_000L);
                      assertThat(read.valueAt(i)).isEqualTo(n % 3 == 0 ? n * 0.5 : Math.sqrt(n));
                    }
                    int last = first + read.size();
                    assertThat(last).isGreaterThanOrEqualTo(seen);
                    seen = last;
                  }
                  reads++;
                }
                return reads;
              }));
    }
    start.countDown();
    writer.get(60, TimeUnit.SECONDS);
    for (Future<Integer> reader : readers) {
      assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
    }
    pool.shutdown();

    assertThat(series.read(0, Long.MAX_VALUE).size()).isEqualTo(samples);
  }

  @Test
  @Timeout(60)
  void writersRacingOnOneSeriesNeverInterleaveTheirBits() throws Exception {
    int writers = 4;
    int ticketsEach = 50_000;
    AtomicLong tickets = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> appended = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      appended.add(
          pool.submit(
              () -> {
                start.await();
                int mine = 0;
                for (int i = 0; i < ticketsEach; i++) {
                  long ticket = tickets.getAndIncrement();
                  // a ticket drawn late may arrive after a later one: dropped as out of order
                  mine += store.append(List.of(new Sample(UP, T0 + ticket * 15_000L, ticket * 0.5)));
                }
                return mine;
              }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> each : appended) {
      total += each.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    Series series = only(store.select(List.of(LabelMatcher.equal("__name__", "up")), 0, Long.MAX_VALUE));
    assertThat(series.size()).isEqualTo(total);
    for (int i = 0; i < series.size(); i++) {
      long ticket = (series.timestampAt(i) - T0) / 15_000L;
      assertThat(series.timestampAt(i)).isEqualTo(T0 + ticket * 15_000L);
      assertThat(series.valueAt(i)).isEqualTo(ticket * 0.5);
      if (i > 0) {
        assertThat(series.timestampAt(i)).isGreaterThan(series.timestampAt(i - 1));
      }
    }
  }

  /** A snapshot never tears: sample i is at T0 + 15 s · i with value i / 2. */
  private static void assertConsecutive(Series series) {
    for (int i = 0; i < series.size(); i++) {
      assertThat(series.timestampAt(i)).isEqualTo(T0 + i * 15_000L);
      assertThat(series.valueAt(i)).isEqualTo(i * 0.5);
    }
  }

  private void appendOneSampleEach(Labels... labels) {
    List<Sample> samples = new ArrayList<>();
    for (Labels each : labels) {
      samples.add(new Sample(each, T0, 1));
    }
    store.append(samples);
  }

  private List<Labels> labelsOf(List<LabelMatcher> matchers) {
    return store.select(matchers, 0, Long.MAX_VALUE).stream().map(Series::labels).toList();
  }

  private static Series only(List<Series> selected) {
    assertThat(selected).hasSize(1);
    return selected.get(0);
  }

  private static List<Double> values(Series series) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      values.add(series.valueAt(i));
    }
    return values;
  }

  @Test
  void theNewestSampleIsTheLastOfTheRangeWhereverTheRangeEnds() {
    List<Sample> samples = new ArrayList<>();
    // 250 samples: two sealed chunks of 120, ten in the head.
    for (int i = 0; i < 250; i++) {
      samples.add(new Sample(UP, T0 + i * 15_000L, i));
    }
    samples.add(new Sample(GET_200, T0, 7));
    samples.add(new Sample(GET_200, T0 + 15_000, Sample.STALE_NAN));
    store.append(samples);
    List<LabelMatcher> up = List.of(LabelMatcher.equal("__name__", "up"));
    long last = T0 + 249 * 15_000L;

    for (long to : new long[] {last + 60_000, last, last - 1, T0 + 119 * 15_000L, T0 + 120 * 15_000L, T0}) {
      Series whole = store.select(up, to - 300_000 + 1, to).get(0);
      assertThat(store.selectNewest(up, to - 300_000 + 1, to)).singleElement().satisfies(newest -> {
        assertThat(newest.timestampAt(newest.size() - 1)).as("up to %d", to).isEqualTo(whole.timestampAt(whole.size() - 1));
        assertThat(newest.valueAt(newest.size() - 1)).isEqualTo(whole.valueAt(whole.size() - 1));
      });
    }
    assertThat(store.selectNewest(up, last + 1, last + 300_000)).as("nothing in the range").isEmpty();
    assertThat(store.selectNewest(List.of(LabelMatcher.equal("__name__", "http_requests_total")), T0, T0 + 60_000))
        .singleElement().satisfies(s -> assertThat(Sample.isStale(s.valueAt(s.size() - 1))).as("the marker stays a marker").isTrue());
  }
}
