package dev.scoville.console;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Tag;
import dev.scoville.console.board.Threshold;
import dev.scoville.console.board.Trend;
import elemental.json.Json;
import elemental.json.JsonArray;
import elemental.json.JsonObject;
import java.util.List;

/**
 * A trend chart ({@code <scoville-chart>}, drawn by uPlot). A tile's chart steps on a fixed grid:
 * it is sent whole once, then only the points that settled since (with the live point), so an
 * update stays small and a browser redraws it once a step, not once a sample; the tile's value
 * shows the sample. A chart whose grid moves (an incident's, a query's) is sent whole each time.
 */
@Tag("scoville-chart")
final class TrendChart extends Component {
  private final int height;
  private final String title;
  private final boolean onFixedGrid;
  private List<String> shownLines;
  private long shownSettled;
  private List<Mark> shownMarks = List.of();
  private int sequence;

  /** A vertical line at {@code time} (epoch milliseconds), labelled {@code text}. */
  record Mark(long time, String text) {}

  TrendChart(int height, String title, boolean onFixedGrid) {
    this.height = height;
    this.title = title;
    this.onFixedGrid = onFixedGrid;
    getElement().setAttribute("role", "img");
    getElement().setAttribute("aria-label", "Trend of " + title);
    getElement().getStyle().set("display", "block").set("width", "100%").set("min-height", height + "px");
  }

  void show(Trend trend, List<Threshold> thresholds, List<Threshold> warnings, String unit, List<Mark> marks) {
    List<String> lines = trend.lines().stream().map(Trend.Line::name).toList();
    if (!onFixedGrid || !lines.equals(shownLines) || !marks.equals(shownMarks) || trend.lastSettled() < shownSettled) {
      getElement().setPropertyJson("data", whole(trend, thresholds, warnings, unit, marks));
      shownLines = lines;
      shownMarks = marks;
    } else if (trend.lastSettled() > shownSettled) {
      getElement().setPropertyJson("tail", tail(trend));
    }
    shownSettled = trend.lastSettled();
  }

  private JsonObject whole(Trend trend, List<Threshold> firing, List<Threshold> warnings, String unit, List<Mark> marks) {
    JsonObject data = Json.createObject();
    data.put("title", title);
    data.put("unit", unit == null ? "" : unit);
    data.put("height", height);
    data.put("window", (double) trend.stepMillis() * Math.max(1, trend.settled()));
    data.put("settled", trend.settled());
    data.put("times", times(trend.times(), 0, trend.times().length));
    JsonArray lines = Json.createArray();
    for (Trend.Line line : trend.lines()) {
      JsonObject l = Json.createObject();
      l.put("name", line.name());
      l.put("values", values(line.values(), 0, line.values().length));
      lines.set(lines.length(), l);
    }
    data.put("lines", lines);
    JsonArray drawn = Json.createArray();
    firing.forEach(t -> drawn.set(drawn.length(), threshold(t, "firing")));
    warnings.forEach(t -> drawn.set(drawn.length(), threshold(t, "warning")));
    data.put("thresholds", drawn);
    JsonArray m = Json.createArray();
    for (Mark mark : marks) {
      JsonObject o = Json.createObject();
      o.put("time", (double) mark.time());
      o.put("text", mark.text());
      m.set(m.length(), o);
    }
    data.put("marks", m);
    return data;
  }

  private JsonObject tail(Trend trend) {
    long[] times = trend.times();
    int from = 0;
    while (from < trend.settled() && times[from] <= shownSettled) {
      from++;
    }
    JsonObject settled = Json.createObject();
    settled.put("times", times(times, from, trend.settled()));
    JsonArray values = Json.createArray();
    int finalFrom = from;
    trend.lines().forEach(l -> values.set(values.length(), values(l.values(), finalFrom, trend.settled())));
    settled.put("values", values);
    JsonObject live = Json.createObject();
    live.put("time", (double) times[times.length - 1]);
    JsonArray liveValues = Json.createArray();
    trend.lines().forEach(l -> liveValues.set(liveValues.length(), number(l.values()[l.values().length - 1])));
    live.put("values", liveValues);
    JsonObject tail = Json.createObject();
    tail.put("settled", settled);
    tail.put("live", live);
    // an equal value would not be sent again
    tail.put("sequence", ++sequence);
    return tail;
  }

  private static JsonObject threshold(Threshold t, String kind) {
    JsonObject o = Json.createObject();
    o.put("value", t.value());
    o.put("kind", kind);
    return o;
  }

  private static JsonArray times(long[] times, int from, int to) {
    JsonArray a = Json.createArray();
    for (int i = from; i < to; i++) {
      a.set(i - from, (double) times[i]);
    }
    return a;
  }

  private static JsonArray values(double[] values, int from, int to) {
    JsonArray a = Json.createArray();
    for (int i = from; i < to; i++) {
      a.set(i - from, number(values[i]));
    }
    return a;
  }

  private static elemental.json.JsonValue number(double v) {
    return Double.isFinite(v) ? Json.create(v) : Json.createNull();
  }
}
