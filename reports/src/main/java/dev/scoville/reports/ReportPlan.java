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
 * What the post-peak report looks at, from the {@code reports} section: the measures compared with
 * the plan, the traffic that capacity is read against, the limits of each component, the third
 * parties the shop depends on, and the growth expected for the next peak.
 *
 * @param traffic the shop's traffic and its baseline (100 %), or null: no capacity hints
 * @param nextPeakGrowth the next peak's traffic over this one's (1.2: 20 % more), for the forecast
 */
public record ReportPlan(List<Measure> measures, Traffic traffic, List<Limit> limits, List<ThirdParty> thirdParties,
    double nextPeakGrowth) {
  public ReportPlan {
    measures = List.copyOf(measures);
    limits = List.copyOf(limits);
    thirdParties = List.copyOf(thirdParties);
  }

  /** A payment gateway, logistics API, CDN…: {@code expr} is 1 while it is available, 0 while not. */
  public record ThirdParty(String name, Query query) {}

  /** The traffic capacity is read against: {@code expr} now, divided by {@code baseline}, is 100 % at baseline. */
  public record Traffic(Query query, double baseline) {}

  /** A component's limit: {@code expr} above {@code above} means it is saturated. */
  public record Limit(String name, Query query, String unit, double above) {}

  record Section(List<JsonNode> measures, TrafficConfig traffic, List<JsonNode> limits, List<JsonNode> thirdParties,
      Double nextPeakGrowth) {
    Section {
      measures = measures == null ? List.of() : measures;
      limits = limits == null ? List.of() : limits;
      thirdParties = thirdParties == null ? List.of() : thirdParties;
    }
  }

  record ThirdPartyConfig(String name, String expr) {}

  record TrafficConfig(String expr, Double baseline) {}

  record LimitConfig(String name, String expr, String unit, Double above) {}

  /**
   * Reads the {@code reports} section; a bad measure or limit is reported with its place and left
   * out, the others count; a bad {@code traffic} leaves capacity hints out.
   */
  public static ReportPlan load(ConfigFile file, Consumer<String> problems) {
    Section section = file.section("reports", Section.class, new Section(null, null, null, null, null));
    List<Measure> measures = each(file, section.measures(), "measures", Measure.Config.class, problems, (c, i) -> {
      if (c.name() == null || c.expr() == null) {
        throw new ConfigException(file.place("reports", "measures", i) + ": a measure needs a name and an expr");
      }
      return new Measure(c.name(), parse(file, c.expr(), "measure '" + c.name() + "'", "reports", "measures", i,
          "expr"), c.unit(), c.expected());
    });
    Traffic traffic = null;
    if (section.traffic() != null) {
      try {
        TrafficConfig t = section.traffic();
        if (t.expr() == null || t.baseline() == null || t.baseline() <= 0) {
          throw new ConfigException(file.place("reports", "traffic") + ": traffic needs an expr and a baseline above 0");
        }
        traffic = new Traffic(parse(file, t.expr(), "traffic", "reports", "traffic", "expr"), t.baseline());
      } catch (ConfigException e) {
        problems.accept(e.getMessage());
      }
    }
    List<Limit> limits = each(file, section.limits(), "limits", LimitConfig.class, problems, (c, i) -> {
      if (c.name() == null || c.expr() == null || c.above() == null) {
        throw new ConfigException(file.place("reports", "limits", i) + ": a limit needs a name, an expr and above");
      }
      return new Limit(c.name(), parse(file, c.expr(), "limit '" + c.name() + "'", "reports", "limits", i, "expr"),
          c.unit(), c.above());
    });
    List<ThirdParty> thirdParties = each(file, section.thirdParties(), "thirdParties", ThirdPartyConfig.class,
        problems, (c, i) -> {
          if (c.name() == null || c.expr() == null) {
            throw new ConfigException(file.place("reports", "thirdParties", i) + ": a third party needs a name and an expr");
          }
          return new ThirdParty(c.name(),
              parse(file, c.expr(), "third party '" + c.name() + "'", "reports", "thirdParties", i, "expr"));
        });
    double growth = 1;
    if (section.nextPeakGrowth() != null) {
      if (section.nextPeakGrowth() > 0) {
        growth = section.nextPeakGrowth();
      } else {
        problems.accept(file.place("reports", "nextPeakGrowth") + ": nextPeakGrowth must be above 0 (1.2: 20 % more"
            + " traffic than this peak); the forecast assumes 1");
      }
    }
    return new ReportPlan(measures, traffic, limits, thirdParties, growth);
  }

  /** Builds one item of a list from its configuration, or throws naming its place. */
  @FunctionalInterface
  private interface ItemBuilder<C, T> {
    T build(C config, int index);
  }

  /**
   * Each item of {@code reports.<key>} bound to {@code type} and built; one that cannot be is
   * reported with its place and left out, and the others count.
   */
  private static <C, T> List<T> each(ConfigFile file, List<JsonNode> items, String key, Class<C> type,
      Consumer<String> problems, ItemBuilder<C, T> build) {
    List<T> built = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        built.add(build.build(file.bind(items.get(i), type, "reports", key, i), i));
      } catch (ConfigException e) {
        problems.accept(e.getMessage());
      }
    }
    return built;
  }

  private static Query parse(ConfigFile file, String expr, String what, Object... place) {
    try {
      return PromQl.parse(expr);
    } catch (PromQlException e) {
      throw new ConfigException(file.place(place) + ": " + what + ": " + e.getMessage());
    }
  }
}
