package dev.scoville.console.board;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TileBoardTest {
  private static final long T0 = Instant.parse("2026-11-28T12:00:00Z").toEpochMilli();

  private final SeriesStore store = new SeriesStore(Duration.ofHours(6), Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC));

  @Test
  void showsTheValueAndTheStateAgainstItsThresholds() {
    TileBoard board = board("""
        board:
          tiles:
            - { family: ux, title: Payment success, unit: ratio, expr: 'pay', warning: "< 0.98", firing: "< 0.95" }
        """);
    write("pay", 0.99, T0 - 10_000);
    assertThat(read(board, T0).state()).isEqualTo(TileState.OK);
    write("pay", 0.97, T0 + 5_000);
    TileReading warning = read(board, T0 + 5_000);
    assertThat(warning.state()).isEqualTo(TileState.WARNING);
    assertThat(warning.reason()).isEqualTo("< 98 %");
    write("pay", 0.90, T0 + 10_000);
    TileReading firing = read(board, T0 + 10_000);
    assertThat(firing.state()).isEqualTo(TileState.FIRING);
    assertThat(firing.values()).containsExactly(new TileReading.Value("", 0.90));
  }

  @Test
  void isNeverOkWithoutFreshData() {
    TileBoard board = board("""
        board:
          staleAfter: 30s
          tiles:
            - { family: technical, title: CPU, unit: ratio, expr: 'cpu', firing: "> 0.9" }
        """);
    assertThat(read(board, T0).state()).isEqualTo(TileState.NO_DATA);
    write("cpu", 0.5, T0);
    assertThat(read(board, T0 + 10_000).state()).isEqualTo(TileState.OK);
    // the lookback still answers 0.5, but nothing new came for 2 minutes
    TileReading stale = read(board, T0 + 120_000);
    assertThat(stale.state()).isEqualTo(TileState.STALE);
    assertThat(stale.reason()).isEqualTo("newest sample 120 s old");
    assertThat(stale.values()).isNotEmpty();
  }

  @Test
  void mirrorsTheRuleItNames() {
    TileBoard board = board("""
        board:
          tiles:
            - { family: business, title: Orders, expr: 'orders', rule: OrdersLow }
        """);
    write("orders", 12, T0);
    assertThat(board.read(T0, rule -> false).get(0).state()).isEqualTo(TileState.OK);
    TileReading firing = board.read(T0 + 1000, rule -> rule.equals("OrdersLow")).get(0);
    assertThat(firing.state()).isEqualTo(TileState.FIRING);
    assertThat(firing.reason()).isEqualTo("OrdersLow is firing");
  }

  @Test
  void namesEachSeriesByItsLegendLabel() {
    TileBoard board = board("""
        board:
          tiles:
            - { family: ux, title: Payment success, unit: ratio, expr: 'pay', legend: provider }
        """);
    store.append(List.of(new Sample(Labels.of("__name__", "pay", "provider", "card"), T0, 0.9),
        new Sample(Labels.of("__name__", "pay", "provider", "wallet"), T0, 0.99)));
    assertThat(read(board, T0).values()).containsExactly(new TileReading.Value("card", 0.9),
        new TileReading.Value("wallet", 0.99));
  }

  @Test
  void trendKeepsSettledStepsAndEndsWithTheLiveValue() {
    TileBoard board = board("""
        board:
          window: 2m
          tiles:
            - { family: technical, title: Requests, expr: 'requests' }
        """);
    for (long t = T0 - 120_000; t <= T0 + 30_000; t += 1000) {
      write("requests", (t - T0) / 1000.0, t);
    }
    Trend first = read(board, T0 + 500).trend();
    assertThat(first.stepMillis()).isEqualTo(1000);
    assertThat(first.settled()).isEqualTo(120);
    assertThat(first.lastSettled()).isEqualTo(T0);
    assertThat(first.times()[first.times().length - 1]).isEqualTo(T0 + 500);
    assertThat(first.lines().get(0).values()[first.settled() - 1]).isEqualTo(0);

    Trend later = read(board, T0 + 10_500).trend();
    assertThat(later.lastSettled()).isEqualTo(T0 + 10_000);
    assertThat(later.times()[0]).isEqualTo(T0 - 110_000 + 1000);
    assertThat(later.lines().get(0).values()[later.settled() - 1]).isEqualTo(10);
  }

  @Test
  void aBadTileIsReportedAtItsPlaceAndTheOthersShow() {
    List<String> problems = new ArrayList<>();
    ConfigFile file = ConfigFile.parse("board.yaml", """
        board:
          tiles:
            - { family: technical, title: Broken, expr: 'sum(' }
            - { family: technical, title: Fine, expr: 'up' }
            - { family: technical, title: Bad threshold, expr: 'up', firing: "above 3" }
        """, Map.of());
    List<Tile> tiles = Tile.load(file, file.section("board", BoardConfig.class, BoardConfig.none()), problems::add);
    assertThat(tiles).extracting(Tile::title).containsExactly("Fine");
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).startsWith("board.yaml:3:").contains("tile 'Broken'");
    assertThat(problems.get(1)).startsWith("board.yaml:5:").contains("'above 3' is not a threshold");
  }

  private TileBoard board(String yaml) {
    ConfigFile file = ConfigFile.parse("board.yaml", yaml, Map.of());
    BoardConfig config = file.section("board", BoardConfig.class, BoardConfig.none());
    return new TileBoard(Tile.load(file, config, p -> {
      throw new AssertionError(p);
    }), store, config.window(), config.staleAfter());
  }

  private static TileReading read(TileBoard board, long now) {
    return board.read(now, rule -> false).get(0);
  }

  private void write(String metric, double value, long at) {
    store.append(List.of(new Sample(Labels.of("__name__", metric), at, value)));
  }
}
