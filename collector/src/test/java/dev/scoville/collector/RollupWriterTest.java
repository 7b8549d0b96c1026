package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Database;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RollupWriterTest {
  private static final long MINUTE = 60_000;

  /** A minute boundary. */
  private static final long T0 = 28_333_333 * MINUTE;

  private static final Labels CHECKOUT =
      Labels.of(
          "__name__", "checkout_latency_seconds", "route", "/checkout", "note", "say \"hi\"\\\n");
  private static final Labels CART =
      Labels.of("__name__", "checkout_latency_seconds", "route", "/cart");

  private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));
  private final SeriesStore store = new SeriesStore(Duration.ofHours(6), clock);
  private final Database database =
      Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

  RollupWriterTest() {
    database.migrate("collector");
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Test
  void refillsARestartedStoreWithEachMinutesLastValue() {
    store.append(List.of(
        new Sample(CART, T0 + 1_000, 3), new Sample(CART, T0 + 31_000, 4), new Sample(CART, T0 + 61_000, 8)));
    clock.advance(Duration.ofMillis(2 * MINUTE + 15_000));
    new RollupWriter(store, database, clock).writeCompletedMinutes();
    SeriesStore restarted = new SeriesStore(Duration.ofHours(6), clock);

    int restored = new RollupWriter(restarted, database, clock).restore(Duration.ofHours(6));

    assertThat(restored).isEqualTo(2);
    Series cart = restarted.select(List.of(LabelMatcher.equal("route", "/cart")), 0, Long.MAX_VALUE).get(0);
    assertThat(cart.labels()).isEqualTo(CART);
    assertThat(List.of(cart.timestampAt(0), cart.timestampAt(1))).containsExactly(T0 + MINUTE - 1, T0 + 2 * MINUTE - 1);
    assertThat(List.of(cart.valueAt(0), cart.valueAt(1))).containsExactly(4.0, 8.0);
  }

  @Test
  void writesOneRowPerSeriesAndCompletedMinute() {
    store.append(
        List.of(
            new Sample(CHECKOUT, T0 + 1_000, 3),
            new Sample(CHECKOUT, T0 + 16_000, 1),
            new Sample(CHECKOUT, T0 + 31_000, Double.NaN),
            new Sample(CHECKOUT, T0 + 46_000, 2),
            new Sample(CHECKOUT, T0 + 61_000, 7),
            new Sample(CART, T0 + 5_000, Sample.STALE_NAN),
            new Sample(CART, T0 + 65_000, -4),
            new Sample(CHECKOUT, T0 + 121_000, 9)));
    clock.advance(Duration.ofMillis(2 * MINUTE + 15_000));
    RollupWriter writer = new RollupWriter(store, database, clock);

    assertThat(writer.writeCompletedMinutes()).isEqualTo(3);

    List<Rollup> rollups =
        writer.read(
            List.of(LabelMatcher.equal("__name__", "checkout_latency_seconds")),
            T0,
            T0 + 10 * MINUTE);
    assertThat(rollups)
        .containsExactlyInAnyOrder(
            new Rollup(CHECKOUT, T0, 1, 3, 6, 3, 2),
            new Rollup(CHECKOUT, T0 + MINUTE, 7, 7, 7, 1, 7),
            new Rollup(CART, T0 + MINUTE, -4, -4, -4, 1, -4));
  }

  @Test
  void writesEachMinuteOnceAcrossCallsAndRestarts() {
    store.append(List.of(new Sample(CART, T0 + 1_000, 1), new Sample(CART, T0 + 61_000, 2)));
    clock.advance(Duration.ofMillis(MINUTE + 10_000));
    RollupWriter writer = new RollupWriter(store, database, clock);

    assertThat(writer.writeCompletedMinutes()).isEqualTo(1);
    assertThat(writer.writeCompletedMinutes()).isZero();
    clock.advance(Duration.ofMillis(MINUTE));
    assertThat(writer.writeCompletedMinutes()).isEqualTo(1);
    clock.advance(Duration.ofMillis(MINUTE));
    store.append(List.of(new Sample(CART, T0 + 2 * MINUTE + 1_000, 3)));
    clock.advance(Duration.ofMillis(MINUTE));
    RollupWriter afterRestart = new RollupWriter(store, database, clock);
    assertThat(afterRestart.writeCompletedMinutes()).isEqualTo(1);

    assertThat(rowCount()).isEqualTo(3);
  }

  @Test
  void rewritingAMinuteReplacesItsRow() {
    store.append(List.of(new Sample(CART, T0 + 1_000, 1)));
    RollupWriter writer = new RollupWriter(store, database, clock);
    writer.writeMinutes(T0, T0 + MINUTE);
    store.append(List.of(new Sample(CART, T0 + 2_000, 5)));

    writer.writeMinutes(T0, T0 + MINUTE);

    assertThat(rowCount()).isEqualTo(1);
    assertThat(writer.read(List.of(LabelMatcher.equal("route", "/cart")), T0, T0))
        .containsExactly(new Rollup(CART, T0, 1, 5, 6, 2, 5));
  }

  @Test
  void readsBackOnlyTheSelectedSeriesAndMinutes() {
    store.append(
        List.of(
            new Sample(CART, T0 + 1_000, 1),
            new Sample(CHECKOUT, T0 + 1_000, 2),
            new Sample(CART, T0 + MINUTE + 1_000, 3),
            new Sample(CART, T0 + 2 * MINUTE + 1_000, 4)));
    RollupWriter writer = new RollupWriter(store, database, clock);
    writer.writeMinutes(T0, T0 + 3 * MINUTE);

    List<Rollup> rollups =
        writer.read(
            List.of(LabelMatcher.of("route", LabelMatcher.Op.REGEX, "/ca.*")),
            T0 + MINUTE,
            T0 + 2 * MINUTE);

    assertThat(rollups).extracting(Rollup::labels).containsOnly(CART);
    assertThat(rollups)
        .extracting(Rollup::minuteStartMillis)
        .containsExactly(T0 + MINUTE, T0 + 2 * MINUTE);
  }

  private int rowCount() {
    return database.inTransaction(
        connection -> {
          try (ResultSet rows =
              connection.createStatement().executeQuery("SELECT COUNT(*) FROM series_rollup")) {
            rows.next();
            return rows.getInt(1);
          }
        });
  }
}
