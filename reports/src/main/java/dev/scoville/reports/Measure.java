package dev.scoville.reports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlException;
import dev.scoville.rules.promql.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A business or UX result the post-peak report compares with what was expected and with the same
 * window a week earlier: the mean of {@code expr} over the window.
 *
 * @param expected what was planned for the peak (null: nothing was planned)
 */
public record Measure(String name, Query query, String unit, Double expected) {

  /** {@code reports.measures[]} as written. */
  record Config(String name, String expr, String unit, Double expected) {}

  /** {@code reports}: the measures of the post-peak report. */
  public record Section(List<JsonNode> measures) {
    public Section {
      measures = measures == null ? List.of() : List.copyOf(measures);
    }

    public static Section none() {
      return new Section(null);
    }
  }

  /** Binds every measure; a bad one is reported with its place and left out, the others count. */
  public static List<Measure> load(ConfigFile file, Section section, Consumer<String> problems) {
    List<Measure> measures = new ArrayList<>();
    for (int i = 0; i < section.measures().size(); i++) {
      try {
        Config c = file.bind(section.measures().get(i), Config.class, "reports", "measures", i);
        if (c.name() == null || c.expr() == null) {
          throw new ConfigException(file.place("reports", "measures", i) + ": a measure needs a name and an expr");
        }
        try {
          measures.add(new Measure(c.name(), PromQl.parse(c.expr()), c.unit(), c.expected()));
        } catch (PromQlException e) {
          throw new ConfigException(file.place("reports", "measures", i, "expr") + ": measure '" + c.name() + "': "
              + e.getMessage());
        }
      } catch (ConfigException e) {
        problems.accept(e.getMessage());
      }
    }
    return List.copyOf(measures);
  }
}
