package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Database;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SeriesHistoryTest {
  private static final long MINUTE = 60_000;
  private static final Duration STORE_RETENTION = Duration.ofHours(6);
  private static final Duration HISTORY_RETENTION = Duration.ofDays(2);

  /** A minute boundary. */
  private static final long T0 = 28_333_333 * MINUTE;

  private static final Labels CHECKOUT =
      Labels.of("__name__", "checkout_latency_seconds", "route", "/checkout", "note", "say \"hi\"\\\n");
  private static final Labels CART = Labels.of("__name__", "checkout_latency_seconds", "route", "/cart");

  private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));
  private final SeriesStore store = new SeriesStore(STORE_RETENTION, clock);
  private final Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

  SeriesHistoryTest() {
    database.migrate("collector");
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Test
  void refillsARestartedStoreWithEverySampleWithinItsRetentionAsItWas() {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 8 * 60 * 4; i++) {
      long t = T0 + i * 15_000L + i % 3;
      samples.add(new Sample(CART, t, i % 17 == 0 ? Sample.STALE_NAN : i * 1.5));
      samples.add(new Sample(CHECKOUT, t + 7, 0.001 * (i % 100)));
    }
    store.append(samples);
    clock.advance(Duration.ofHours(8).plusSeconds(15));
    SeriesHistory history = history(store);
    assertThat(history.writeCompleted()).isEqualTo(samples.size());

    SeriesStore restarted = new SeriesStore(STORE_RETENTION, clock);
    long restored = history(restarted).restore(STORE_RETENTION);

    long cutoff = clock.millis() - STORE_RETENTION.toMillis();
    List<Series> before = all(store, cutoff);
    List<Series> after = all(restarted, cutoff);
    assertThat(restored).isEqualTo(before.stream().mapToLong(Series::size).sum()).isGreaterThan(2 * 6 * 60 * 4 - 10);
    assertThat(after).hasSize(2);
    for (int s = 0; s < 2; s++) {
      assertThat(after.get(s).labels()).isEqualTo(before.get(s).labels());
      assertThat(timestamps(after.get(s))).containsExactlyElementsOf(timestamps(before.get(s)));
      assertThat(valueBits(after.get(s))).containsExactlyElementsOf(valueBits(before.get(s)));
    }
    assertThat(timestamps(after.get(0)).get(0)).isGreaterThanOrEqualTo(cutoff);
  }

  @Test
  void aRestartNeitherSkipsNorRepeatsSamplesAndWritesEachSeriesLabelsOnce() {
    store.append(List.of(new Sample(CART, T0 + 1_000, 1), new Sample(CHECKOUT, T0 + 2_000, 2)));
    clock.advance(Duration.ofSeconds(75));
    history(store).writeCompleted();
    store.append(List.of(new Sample(CART, T0 + 70_000, 3), new Sample(CART, T0 + 90_000, 4)));
    clock.advance(Duration.ofSeconds(60));

    SeriesHistory afterRestart = history(store);
    assertThat(afterRestart.writeCompleted()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(60));
    assertThat(afterRestart.writeCompleted()).isZero();

    SeriesStore restarted = new SeriesStore(STORE_RETENTION, clock);
    assertThat(history(restarted).restore(STORE_RETENTION)).isEqualTo(4);
    Series cart = restarted.select(List.of(LabelMatcher.equal("route", "/cart")), 0, Long.MAX_VALUE).get(0);
    assertThat(timestamps(cart)).containsExactly(T0 + 1_000, T0 + 70_000, T0 + 90_000);
    assertThat(count("SELECT COUNT(*) FROM history_series")).isEqualTo(2);
  }

  @Test
  void instancesWritingTheSameMinutesToOneDatabaseKeepEachOthersSeries() {
    SeriesStore other = new SeriesStore(STORE_RETENTION, clock);
    store.append(List.of(new Sample(CART, T0 + 1_000, 1), new Sample(CART, T0 + 61_000, 2)));
    other.append(List.of(new Sample(CHECKOUT, T0 + 2_000, 3), new Sample(CHECKOUT, T0 + 62_000, 4)));
    // Started as the application starts them: a restore, which finds nothing yet.
    SeriesHistory mine = history(store);
    SeriesHistory theirs = history(other);
    assertThat(mine.restore(STORE_RETENTION) + theirs.restore(STORE_RETENTION)).isZero();
    clock.advance(Duration.ofSeconds(75));
    assertThat(mine.writeCompleted()).isEqualTo(1);
    assertThat(theirs.writeCompleted()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(60));
    assertThat(theirs.writeCompleted()).isEqualTo(1);
    assertThat(mine.writeCompleted()).isEqualTo(1);

    SeriesStore restarted = new SeriesStore(STORE_RETENTION, clock);
    assertThat(history(restarted).restore(STORE_RETENTION)).isEqualTo(4);
    assertThat(all(restarted, 0)).extracting(Series::labels).containsExactlyInAnyOrder(CART, CHECKOUT);
    assertThat(count("SELECT COUNT(DISTINCT id) FROM history_series")).isEqualTo(2);
    assertThat(count("SELECT COUNT(*) FROM history_block")).isEqualTo(4);
  }

  @Test
  void seriesAnotherWriterNamedAreFoundInTheDictionaryBatchAfterBatch() {
    int series = 2 * SeriesHistory.LOOKUP_BATCH + 7;
    SeriesStore other = new SeriesStore(STORE_RETENTION, clock);
    List<Sample> first = new ArrayList<>();
    List<Sample> second = new ArrayList<>();
    for (int s = 0; s < series; s++) {
      Labels labels = Labels.of("__name__", "queue_depth", "queue", "q" + s);
      first.add(new Sample(labels, T0 + 1_000, s));
      second.add(new Sample(labels, T0 + 61_000, s));
    }
    // One new series among them, whose hash shares a lookup with the others.
    second.add(new Sample(CART, T0 + 61_000, 1));
    store.append(first);
    other.append(second);
    clock.advance(Duration.ofSeconds(75));
    history(store).writeCompleted();
    clock.advance(Duration.ofSeconds(60));

    SeriesHistory theirs = history(other);
    assertThat(theirs.writeCompleted()).isEqualTo(series + 1);

    assertThat(count("SELECT COUNT(*) FROM history_series")).isEqualTo(series + 1);
    SeriesStore restarted = new SeriesStore(STORE_RETENTION, clock);
    assertThat(history(restarted).restore(STORE_RETENTION)).isEqualTo(2L * series + 1);
    Series q700 = restarted.select(List.of(LabelMatcher.equal("queue", "q700")), 0, Long.MAX_VALUE).get(0);
    assertThat(timestamps(q700)).containsExactly(T0 + 1_000, T0 + 61_000);
  }

  @Test
  void aSeriesRestoredAfterARestartKeepsItsDictionaryEntry() {
    store.append(List.of(new Sample(CART, T0 + 1_000, 1)));
    clock.advance(Duration.ofSeconds(75));
    history(store).writeCompleted();
    SeriesStore restarted = new SeriesStore(STORE_RETENTION, clock);
    SeriesHistory history = history(restarted);
    history.restore(STORE_RETENTION);
    restarted.append(List.of(new Sample(CART, T0 + 80_000, 2), new Sample(CHECKOUT, T0 + 80_000, 3)));
    clock.advance(Duration.ofSeconds(60));

    assertThat(history.writeCompleted()).isEqualTo(2);

    assertThat(count("SELECT COUNT(*) FROM history_series")).isEqualTo(2);
    assertThat(count("SELECT COUNT(DISTINCT labels) FROM history_series")).isEqualTo(2);
  }

  @Test
  void restoresHoursOfMinuteBlocksPageByPage() {
    SeriesHistory history = history(store);
    int minutes = 3 * SeriesHistory.RESTORE_PAGE_ROWS + 1;
    for (int minute = 0; minute < minutes; minute++) {
      store.append(List.of(new Sample(CART, T0 + minute * MINUTE + 5_000, minute)));
      clock.advance(Duration.ofMinutes(1));
      history.writeCompleted();
    }
    clock.advance(Duration.ofMinutes(1));
    history.writeCompleted();
    assertThat(count("SELECT COUNT(*) FROM history_block")).isEqualTo(minutes);

    SeriesStore restarted = new SeriesStore(STORE_RETENTION, clock);
    assertThat(history(restarted).restore(STORE_RETENTION)).isEqualTo(minutes);
    Series cart = restarted.select(List.of(LabelMatcher.equal("route", "/cart")), 0, Long.MAX_VALUE).get(0);
    assertThat(timestamps(cart)).hasSize(minutes).last().isEqualTo(T0 + (minutes - 1) * MINUTE + 5_000);
  }

  @Test
  void manySeriesSpreadOverSeveralBlockRowsComeBackWhole() {
    List<Sample> samples = new ArrayList<>();
    for (int minute = 0; minute < 3; minute++) {
      for (int s = 0; s < 20_000; s++) {
        samples.add(new Sample(Labels.of("__name__", "queue_depth", "queue", "q" + s), T0 + minute * MINUTE + s % 1000, s + minute));
      }
    }
    samples.sort(Comparator.comparingLong(Sample::timestampMillis));
    store.append(samples);
    clock.advance(Duration.ofMinutes(3).plusSeconds(15));
    history(store).writeCompleted();
    assertThat(count("SELECT COUNT(*) FROM history_block")).isGreaterThan(1);

    SeriesStore restarted = new SeriesStore(STORE_RETENTION, clock);
    assertThat(history(restarted).restore(STORE_RETENTION)).isEqualTo(60_000);
    Series q123 = restarted.select(List.of(LabelMatcher.equal("queue", "q123")), 0, Long.MAX_VALUE).get(0);
    assertThat(q123.size()).isEqualTo(3);
    assertThat(q123.valueAt(2)).isEqualTo(125.0);
  }

  @Test
  void deletesBlocksAndDictionaryEntriesOutsideTheHistoryRetention() {
    store.append(List.of(new Sample(CART, T0 + 1_000, 1), new Sample(CHECKOUT, T0 + 1_000, 2)));
    clock.advance(Duration.ofSeconds(75));
    SeriesHistory history = history(store);
    history.writeCompleted();
    clock.advance(Duration.ofDays(1).plusHours(12));
    store.append(List.of(new Sample(CART, clock.millis() - 30_000, 3)));
    clock.advance(Duration.ofSeconds(75));
    history.writeCompleted();
    assertThat(count("SELECT COUNT(*) FROM history_block")).isEqualTo(2);

    // The first block ended at T0 + 1 min.
    clock.advance(Duration.ofMillis(T0 + MINUTE - 1 + HISTORY_RETENTION.toMillis() - clock.millis()));
    assertThat(history.deleteExpired()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(history.deleteExpired()).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM history_block")).isEqualTo(1);
    // Its entry outlives the blocks that name it by the day that marking it written may lag.
    assertThat(count("SELECT COUNT(*) FROM history_series")).isEqualTo(2);
    clock.advance(Duration.ofHours(23));
    history.deleteExpired();
    assertThat(count("SELECT COUNT(*) FROM history_series")).isEqualTo(2);
    clock.advance(Duration.ofHours(1).plusMinutes(1));
    history.deleteExpired();
    assertThat(count("SELECT COUNT(*) FROM history_series")).isEqualTo(1);

    SeriesStore restarted = new SeriesStore(STORE_RETENTION, clock);
    assertThat(history(restarted).restore(HISTORY_RETENTION)).isEqualTo(1);
    assertThat(restarted.select(List.of(LabelMatcher.equal("route", "/cart")), 0, Long.MAX_VALUE)).hasSize(1);
  }

  @Test
  void aReaderServesAWindowOlderThanTheStoreKeepsFromHistoryJoinedWithWhatTheStoreStillHas() {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 10 * 60 * 4; i++) {
      long t = T0 + i * 15_000L;
      samples.add(new Sample(CART, t, i % 17 == 0 ? Sample.STALE_NAN : i * 1.5));
      samples.add(new Sample(CHECKOUT, t + 7, 0.001 * (i % 100)));
    }
    store.append(samples);
    clock.advance(Duration.ofHours(10).plusSeconds(15));
    SeriesHistory history = history(store);
    history.writeCompleted();
    List<Series> everything = all(store, 0);
    store.dropExpired();

    SeriesReader reader = history.reader();
    List<LabelMatcher> cart = List.of(LabelMatcher.equal("route", "/cart"));
    long from = T0 + 30 * MINUTE + 1;
    long to = clock.millis();
    assertThat(store.completeFromMillis()).isGreaterThan(from);
    assertThat(store.select(cart, from, from + MINUTE)).as("the store has forgotten the window's start").isEmpty();
    List<Series> read = reader.select(cart, from, to);

    assertThat(read).hasSize(1);
    Series expected = everything.stream().filter(s -> s.labels().equals(CART)).findFirst().orElseThrow();
    List<Long> expectedTimes = timestamps(expected).stream().filter(t -> t >= from && t <= to).toList();
    assertThat(timestamps(read.get(0))).containsExactlyElementsOf(expectedTimes);
    assertThat(Sample.isStale(read.get(0).valueAt(timestamps(read.get(0)).indexOf(T0 + 136 * 15_000L)))).isTrue();
    assertThat(reader.select(List.of(LabelMatcher.equal("route", "/checkout")), from, from + 5 * MINUTE))
        .singleElement().satisfies(s -> assertThat(s.size()).isEqualTo(20));
    assertThat(reader.select(List.of(LabelMatcher.equal("route", "/nowhere")), from, to)).isEmpty();
  }

  private SeriesHistory history(SeriesStore of) {
    return new SeriesHistory(of, database, clock, HISTORY_RETENTION);
  }

  private static List<Series> all(SeriesStore of, long from) {
    List<Series> series = new ArrayList<>(of.select(List.of(LabelMatcher.equal("__name__", "checkout_latency_seconds")), from, Long.MAX_VALUE));
    series.sort(Comparator.comparing(Series::labels));
    return series;
  }

  private static List<Long> timestamps(Series series) {
    List<Long> timestamps = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      timestamps.add(series.timestampAt(i));
    }
    return timestamps;
  }

  private static List<Long> valueBits(Series series) {
    List<Long> bits = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      bits.add(Double.doubleToRawLongBits(series.valueAt(i)));
    }
    return bits;
  }

  private long count(String sql) {
    return database.inTransaction(connection -> {
      try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
        rows.next();
        return rows.getLong(1);
      }
    });
  }
}
