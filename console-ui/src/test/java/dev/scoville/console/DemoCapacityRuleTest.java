package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Sample;
import dev.scoville.rules.RulesConfig;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlException;
import dev.scoville.rules.promql.Query;
import dev.scoville.shop.DrillScenario;
import dev.scoville.shop.Scenario;
import dev.scoville.shop.ShopSimulator;
import io.prometheus.client.Collector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The demo file's rules against the demo shop, on a clock moved by hand: the shop's day (its
 * peak and payment fault included) never crosses the capacity rule, and once the day has settled
 * no rule of the shop fires at all; the surge drills, played over it at their written pace, fire
 * the capacity rule. The shop's metrics are read every scrape interval, as the demo scrapes them,
 * and each rule is evaluated every group interval with its {@code for}.
 */
class DemoCapacityRuleTest {
  private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
  private static final Duration TICK = Duration.ofMillis(100);
  private static final Duration SCRAPE = Duration.ofSeconds(5);
  private static final String CAPACITY = "TrafficAboveCapacity";

  private final ConfigFile config = ConfigFile.loadResource(Main.DEMO_CONFIG);
  private final MutableClock clock = new MutableClock(T0);
  private final SeriesStore store = new SeriesStore(Duration.ofHours(3), clock);
  private final List<DemoRule> rules = shopRules();
  private final ShopSimulator shop = shop();

  @Test
  void theDayStaysUnderCapacityAndTheSurgeDrillsCrossIt() {
    Map<String, Instant> fired = play(Duration.ofMinutes(8));
    // the day's fault (failing payments, slow checkout) pages, as the demo means it to; its peak of
    // 175 % does not cross capacity
    assertThat(fired).containsOnlyKeys("PaymentSuccessLow", "CheckoutLatencyHigh");

    // settled at the day's 150 %: no rule of the shop fires for twenty minutes
    assertThat(play(Duration.ofMinutes(20))).isEmpty();

    Duration surge150 = detect("surge-150", Duration.ofMinutes(25));
    Duration surge200 = detect("surge-200", Duration.ofMinutes(25));
    // 125 % then 150 % of the day's traffic: its one-minute rate passes 200 % of baseline about 2m20s in,
    // and the rule fires after its minute of "for"
    assertThat(surge150).isBetween(Duration.ofMinutes(3), Duration.ofMinutes(4));
    // 150 % of the day from the start: past 200 % of baseline about 40 s in, firing a minute later
    assertThat(surge200).isBetween(Duration.ofSeconds(90), Duration.ofMinutes(2));
  }

  /** Plays {@code scenario} over the settled day; returns when the capacity rule fired after its start. */
  private Duration detect(String scenario, Duration watch) {
    Instant start = clock.instant();
    shop.startScenario(DrillScenario.named(scenario).orElseThrow(), 1);
    Map<String, Instant> fired = play(watch);
    assertThat(fired).as(scenario).containsKey(CAPACITY);
    // the surge ends, the rule stops firing, and the day is calm again before the next drill
    assertThat(shop.currentScenario()).isEmpty();
    assertThat(rules.stream().filter(r -> r.name.equals(CAPACITY)).findFirst().orElseThrow().pendingSince).isNull();
    return Duration.between(start, fired.get(CAPACITY));
  }

  /** Runs the shop for {@code duration}, scraping and evaluating; the rules that fired, and when first. */
  private Map<String, Instant> play(Duration duration) {
    Map<String, Instant> fired = new LinkedHashMap<>();
    Instant end = clock.instant().plus(duration);
    while (clock.instant().isBefore(end)) {
      shop.tick(TICK);
      clock.advance(TICK);
      long now = clock.millis();
      if (now % SCRAPE.toMillis() == 0) {
        store.append(scrape(now));
      }
      for (DemoRule rule : rules) {
        if (now % rule.interval.toMillis() == 0 && rule.evaluate(store, clock.instant())) {
          fired.putIfAbsent(rule.name, clock.instant());
        }
      }
    }
    return fired;
  }

  private List<Sample> scrape(long now) {
    List<Sample> samples = new ArrayList<>();
    for (Collector.MetricFamilySamples family : Collections.list(shop.registry().metricFamilySamples())) {
      for (Collector.MetricFamilySamples.Sample s : family.samples) {
        Map<String, String> labels = new HashMap<>();
        labels.put("__name__", s.name);
        labels.put("job", "shop");
        for (int i = 0; i < s.labelNames.size(); i++) {
          labels.put(s.labelNames.get(i), s.labelValues.get(i));
        }
        samples.add(new Sample(Labels.fromMap(labels), now, s.value));
      }
    }
    return samples;
  }

  private ShopSimulator shop() {
    ConsoleConfig.Demo demo = config.section("demo", ConsoleConfig.Demo.class, ConsoleConfig.Demo.off());
    return new ShopSimulator(new Scenario(demo.baseline(), demo.peak(), demo.fault()), demo.baselineVisitsPerSecond(),
        clock, 42);
  }

  /** The alerting rules of the demo's {@code shop} group, each with Prometheus's pending state. */
  private List<DemoRule> shopRules() {
    List<RulesConfig.Group> groups = config.section("rules", RulesConfig.class, RulesConfig.none()).groups();
    List<DemoRule> found = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      if (!groups.get(g).name().equals("shop")) {
        continue;
      }
      for (int r = 0; r < groups.get(g).rules().size(); r++) {
        RulesConfig.Rule rule = config.bind(groups.get(g).rules().get(r), RulesConfig.Rule.class, "rules", "groups", g,
            "rules", r);
        if (rule.alert() != null) {
          found.add(new DemoRule(rule.alert(), parse(rule.expr()),
              Optional.ofNullable(rule.forDuration()).orElse(Duration.ZERO), groups.get(g).interval()));
        }
      }
    }
    assertThat(found).extracting(r -> r.name).contains(CAPACITY, "PaymentSuccessLow");
    return found;
  }

  private static Query parse(String expr) {
    try {
      return PromQl.parse(expr);
    } catch (PromQlException e) {
      throw new AssertionError(expr + ": " + e.getMessage(), e);
    }
  }

  private static final class DemoRule {
    final String name;
    final Query query;
    final Duration forDuration;
    final Duration interval;
    Instant pendingSince;

    DemoRule(String name, Query query, Duration forDuration, Duration interval) {
      this.name = name;
      this.query = query;
      this.forDuration = forDuration;
      this.interval = interval;
    }

    /** Whether it fires at {@code now}: its expression has answered at every evaluation for {@code for}. */
    boolean evaluate(SeriesStore store, Instant now) {
      if (query.evaluate(store, now.toEpochMilli()).isEmpty()) {
        pendingSince = null;
        return false;
      }
      if (pendingSince == null) {
        pendingSince = now;
      }
      return !Duration.between(pendingSince, now).minus(forDuration).isNegative();
    }
  }
}
