package dev.scoville.console;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import dev.scoville.console.board.Threshold;
import dev.scoville.console.board.Tile;
import dev.scoville.console.board.TileReading;
import dev.scoville.console.board.TileState;
import dev.scoville.core.ValueFormat;
import java.util.List;

/** One tile of the board: title, state, current value and trend. Updated in place. */
final class TileCard extends Div {
  private final Tile tile;
  private final Span state = new Span();
  private final Span reason = new Span();
  private final Div value = new Div();
  private final TrendChart chart;
  private TileReading shown;

  TileCard(Tile tile) {
    this.tile = tile;
    setId(tile.id());
    addClassName("tile");
    getElement().setAttribute("role", "group");
    getElement().setAttribute("aria-label", tile.title());
    state.addClassName("tile-state");
    reason.addClassName("tile-reason");
    value.addClassName("tile-value");
    chart = new TrendChart(110, tile.title(), true);
    Div head = new Div(new H3(tile.title()), state);
    head.addClassName("tile-head");
    add(head, value, reason, chart);
  }

  void show(TileReading reading) {
    if (shown != null && !reading.differsFrom(shown)) {
      return;
    }
    TileState s = reading.state();
    if (shown == null || shown.state() != s) {
      Badges.update(state, s);
      getElement().setAttribute("data-state", s.name().toLowerCase());
      getClassNames().removeIf(c -> c.startsWith("state-"));
      addClassName("state-" + s.name().toLowerCase());
    }
    Texts.set(reason, reading.reason());
    String unit = tile.config().unit();
    String text = reading.values().isEmpty() ? "no data"
        : String.join(" · ", reading.values().stream()
            .map(v -> (v.name().isEmpty() ? "" : v.name() + " ") + ValueFormat.format(v.value(), unit)).toList());
    if (Texts.set(value, text)) {
      value.getElement().setAttribute("title", text);
    }
    // several series share the line: smaller type, so that each keeps its value in view
    value.getClassNames().set("several", reading.values().size() > 1);
    chart.show(reading.trend(), tile.firing() == null ? List.of() : List.of(tile.firing()),
        tile.warning() == null ? List.<Threshold>of() : List.of(tile.warning()), unit, List.of());
    shown = reading;
  }
}
