package dev.scoville.collector.events;

import static dev.scoville.collector.events.FixedShopEvents.NOW;
import static dev.scoville.collector.events.FixedShopEvents.START;
import static dev.scoville.collector.events.FixedShopEvents.latest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DerivedSeriesTest {
  private final MutableClock clock = new MutableClock(NOW);
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), clock);
  private final DerivedSeries derived = new DerivedSeries(store, clock, EventsConfig.defaults());

  @Test
  void fixedMinuteOfEventsBecomesTheHandComputedSeries() throws Exception {
    derived.apply(parse(FixedShopEvents.EVENTS), "test");
    derived.evaluate();

    FixedShopEvents.assertDerivedValues(store);
  }

  @Test
  void windowSlidesPastOldEventsAndTheirRatiosGoStale() throws Exception {
    derived.apply(parse(FixedShopEvents.EVENTS), "test");
    derived.evaluate();
    clock.advance(Duration.ofSeconds(60));
    derived.evaluate();

    assertThat(Sample.isStale(latest(store, "scoville_shop_conversion_ratio"))).isTrue();
    assertThat(
            Sample.isStale(
                latest(store, "scoville_shop_page_load_seconds", "page", "/", "quantile", "0.5")))
        .isTrue();
    assertThat(latest(store, "scoville_shop_sessions")).isZero();
    assertThat(latest(store, "scoville_shop_events_total", "type", "page_view")).isEqualTo(5);
    assertThat(latest(store, "scoville_shop_stock_level", "sku", "A")).isEqualTo(5);
  }

  @Test
  void onlyTheLastMinuteOfEventTimeCounts() throws Exception {
    derived.apply(
        parse(
            List.of(
                FixedShopEvents.page("old", "/", 100, 1, -40),
                FixedShopEvents.page("new", "/", 100, 0, 25))),
        "test");
    derived.evaluate();

    assertThat(latest(store, "scoville_shop_js_error_ratio")).isZero();
    assertThat(latest(store, "scoville_shop_sessions")).isEqualTo(1);
    assertThat(latest(store, "scoville_shop_events_total", "type", "page_view")).isEqualTo(2);
  }

  @Test
  void eventsAheadOfTheClockCountOnceTheirTimeComes() throws Exception {
    derived.apply(parse(List.of(FixedShopEvents.page("s", "/", 100, 1, 45))), "test");
    derived.evaluate();
    assertThat(
            store.select(
                List.of(LabelMatcher.equal("__name__", "scoville_shop_js_error_ratio")),
                0,
                Long.MAX_VALUE))
        .isEmpty();

    clock.advance(Duration.ofSeconds(20));
    derived.evaluate();
    assertThat(latest(store, "scoville_shop_js_error_ratio")).isEqualTo(1);
  }

  @Test
  void eachShopGetsItsOwnSeries() throws Exception {
    derived.apply(
        parse(
            List.of(
                "{\"type\":\"cart_created\",\"time\":\""
                    + START
                    + "\",\"shop\":\"eu\",\"session\":\"a\",\"cart\":\"c\"}",
                "{\"type\":\"cart_created\",\"time\":\""
                    + START
                    + "\",\"shop\":\"us\",\"session\":\"b\",\"cart\":\"d\"}",
                "{\"type\":\"checkout_started\",\"time\":\""
                    + START
                    + "\",\"shop\":\"us\",\"session\":\"b\",\"cart\":\"d\"}")),
        "test");
    derived.evaluate();

    assertThat(latest(store, "scoville_shop_cart_abandonment_ratio", "shop", "eu")).isEqualTo(1);
    assertThat(latest(store, "scoville_shop_cart_abandonment_ratio", "shop", "us")).isZero();
  }

  @Test
  void distinctSessionsAreEstimatedWithinTwoPercentAtScale() {
    List<Event> views = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      views.add(
          new Event.PageView(
              "",
              START.toEpochMilli() + i % 30_000,
              SessionSketch.hash("session-" + i),
              "/",
              100,
              0));
    }
    derived.apply(views, "test");
    derived.evaluate();

    assertThat(latest(store, "scoville_shop_sessions")).isBetween(49_000.0, 51_000.0);
  }

  @Test
  void remembersTheLastKafkaOffsetAppliedPerPartition() {
    assertThat(derived.appliedOffset("shop-events", 0)).isEqualTo(-1);
    derived.applyPartition("shop-events", 0, List.of(), 41, 0);
    derived.applyPartition("shop-events", 1, List.of(), 7, 0);

    assertThat(derived.appliedOffset("shop-events", 0)).isEqualTo(41);
    assertThat(derived.appliedOffset("shop-events", 1)).isEqualTo(7);
  }

  @Test
  void everyAcceptedFeedbackIsToldWithItsCommentPageAndTopic() {
    List<CustomerFeedback> told = new ArrayList<>();
    derived.onFeedback(told::add);
    String time = NOW.toString();
    int accepted = derived.accept(List.of(
        ("{\"type\":\"feedback\",\"time\":\"" + time + "\",\"shop\":\"eu\",\"score\":2,\"comment\":\"slow \\\"checkout\\\"\","
            + "\"page\":\"/checkout\",\"topic\":\"speed\"}").getBytes(StandardCharsets.UTF_8),
        ("{\"type\":\"feedback\",\"time\":\"" + time + "\",\"score\":5}").getBytes(StandardCharsets.UTF_8),
        ("{\"type\":\"feedback\",\"time\":\"" + time + "\",\"score\":9}").getBytes(StandardCharsets.UTF_8)), "test");

    assertThat(accepted).isEqualTo(2);
    assertThat(told).containsExactly(
        new CustomerFeedback("eu", NOW.toEpochMilli(), 2, "slow \"checkout\"", "/checkout", "speed"),
        new CustomerFeedback("", NOW.toEpochMilli(), 5, "", "", ""));
  }

  static List<Event> parse(List<String> json) throws InvalidEventException {
    EventParser parser = new EventParser();
    List<Event> events = new ArrayList<>();
    for (String each : json) {
      events.add(parser.parse(each.getBytes(StandardCharsets.UTF_8)));
    }
    return events;
  }
}
