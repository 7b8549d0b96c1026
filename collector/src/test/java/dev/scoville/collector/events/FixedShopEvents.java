package dev.scoville.collector.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Series;
import io.prometheus.client.CollectorRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed minute of a small shop, with the derived values worked out by hand: 4 sessions and 2
 * orders (conversion 0.5); 4 carts and 1 checkout (abandonment 0.75); loads of "/" 200, 400, 800,
 * 1000 ms (p50 0.4 s, p95 1.0 s) and of "/product" 600 ms; 2 of 5 page views with JS errors (0.4);
 * card-gateway 1 of 2 payments paid (0.5), paypal 1 of 1; orders of 20 and 40 EUR (average 30)
 * completed in 30 and 50 s (p50 30 s, p95 50 s); stock A 5 (the older 3 loses), B 10; feedback 4
 * and 5 (4.5).
 */
final class FixedShopEvents {
  static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

  /** When the events have all happened; the window (one minute) still holds them all. */
  static final Instant NOW = START.plusSeconds(30);

  static final List<String> EVENTS =
      List.of(
          page("s1", "/", 400, 0, 1),
          page("s1", "/product", 600, 0, 2),
          page("s2", "/", 800, 1, 3),
          page("s3", "/", 1000, 0, 4),
          page("s4", "/", 200, 2, 5),
          event("cart_created", 6, "\"session\":\"s1\",\"cart\":\"c1\""),
          event("cart_created", 7, "\"session\":\"s2\",\"cart\":\"c2\""),
          event("cart_created", 8, "\"session\":\"s3\",\"cart\":\"c3\""),
          event("cart_created", 9, "\"session\":\"s4\",\"cart\":\"c4\""),
          event("checkout_started", 10, "\"session\":\"s1\",\"cart\":\"c1\""),
          event(
              "payment_result",
              11,
              "\"order\":\"o1\",\"provider\":\"card-gateway\",\"outcome\":\"success\""),
          event(
              "payment_result",
              12,
              "\"order\":\"o2\",\"provider\":\"card-gateway\",\"outcome\":\"failure\""),
          event(
              "payment_result",
              13,
              "\"order\":\"o3\",\"provider\":\"paypal\",\"outcome\":\"success\""),
          event(
              "order_placed",
              14,
              "\"session\":\"s1\",\"order\":\"o1\",\"amount\":20.0,\"currency\":\"EUR\",\"completion_ms\":30000"),
          event(
              "order_placed",
              15,
              "\"session\":\"s3\",\"order\":\"o3\",\"amount\":40,\"currency\":\"EUR\",\"completion_ms\":50000"),
          event("inventory_level", 16, "\"sku\":\"A\",\"level\":5"),
          event("inventory_level", 10, "\"sku\":\"A\",\"level\":3"),
          event("inventory_level", 17, "\"sku\":\"B\",\"level\":10"),
          event("feedback", 18, "\"score\":4,\"comment\":\"hot!\""),
          event("feedback", 19, "\"score\":5"));

  private FixedShopEvents() {}

  static String page(String session, String page, int loadMs, int jsErrors, int second) {
    return event(
        "page_view",
        second,
        "\"session\":\""
            + session
            + "\",\"page\":\""
            + page
            + "\",\"load_ms\":"
            + loadMs
            + ",\"js_errors\":"
            + jsErrors);
  }

  static String event(String type, int second, String fields) {
    return "{\"type\":\""
        + type
        + "\",\"time\":\""
        + START.plusSeconds(second)
        + "\","
        + fields
        + "}";
  }

  /**
   * Checks every derived series of the fixed minute in {@code store}, as read at its latest sample.
   */
  static void assertDerivedValues(SeriesStore store) {
    assertThat(latest(store, "scoville_shop_conversion_ratio")).isEqualTo(0.5);
    assertThat(latest(store, "scoville_shop_sessions")).isEqualTo(4);
    assertThat(latest(store, "scoville_shop_cart_abandonment_ratio")).isEqualTo(0.75);
    assertThat(latest(store, "scoville_shop_js_error_ratio")).isEqualTo(0.4);
    assertThat(latest(store, "scoville_shop_page_load_seconds", "page", "/", "quantile", "0.5"))
        .isCloseTo(0.4, withinPercentage(1));
    assertThat(latest(store, "scoville_shop_page_load_seconds", "page", "/", "quantile", "0.95"))
        .isCloseTo(1.0, withinPercentage(1));
    assertThat(
            latest(
                store, "scoville_shop_page_load_seconds", "page", "/product", "quantile", "0.95"))
        .isCloseTo(0.6, withinPercentage(1));
    assertThat(latest(store, "scoville_shop_payment_success_ratio", "provider", "card-gateway"))
        .isEqualTo(0.5);
    assertThat(latest(store, "scoville_shop_payment_success_ratio", "provider", "paypal"))
        .isEqualTo(1.0);
    assertThat(latest(store, "scoville_shop_order_value_average", "currency", "EUR"))
        .isEqualTo(30.0);
    assertThat(latest(store, "scoville_shop_order_completion_seconds", "quantile", "0.5"))
        .isCloseTo(30.0, withinPercentage(1));
    assertThat(latest(store, "scoville_shop_order_completion_seconds", "quantile", "0.95"))
        .isCloseTo(50.0, withinPercentage(1));
    assertThat(latest(store, "scoville_shop_stock_level", "sku", "A")).isEqualTo(5);
    assertThat(latest(store, "scoville_shop_stock_level", "sku", "B")).isEqualTo(10);
    assertThat(latest(store, "scoville_shop_feedback_score_average")).isEqualTo(4.5);
    assertThat(latest(store, "scoville_shop_events_total", "type", "page_view")).isEqualTo(5);
    assertThat(latest(store, "scoville_shop_events_total", "type", "order_placed")).isEqualTo(2);
    assertThat(latest(store, "scoville_shop_events_total", "type", "inventory_level")).isEqualTo(3);
  }

  /** The newest value of the one series with this name and these labels; fails if there is none. */
  static double latest(SeriesStore store, String name, String... labels) {
    List<LabelMatcher> matchers = new ArrayList<>();
    matchers.add(LabelMatcher.equal("__name__", name));
    for (int i = 0; i < labels.length; i += 2) {
      matchers.add(LabelMatcher.equal(labels[i], labels[i + 1]));
    }
    List<Series> found = store.select(matchers, 0, Long.MAX_VALUE);
    assertThat(found).as("series %s%s", name, List.of(labels)).hasSize(1);
    Series series = found.get(0);
    return series.valueAt(series.size() - 1);
  }

  /** A collector metric's current value (simpleclient's default registry), 0 when never set. */
  static double counter(String name, String... labels) {
    String[] names = new String[labels.length / 2];
    String[] values = new String[labels.length / 2];
    for (int i = 0; i < labels.length; i += 2) {
      names[i / 2] = labels[i];
      values[i / 2] = labels[i + 1];
    }
    Double value = CollectorRegistry.defaultRegistry.getSampleValue(name, names, values);
    return value == null ? 0 : value;
  }
}
