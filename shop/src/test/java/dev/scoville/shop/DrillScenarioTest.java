package dev.scoville.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.client.Collector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Each drill scenario changes what the shop really exposes, and plays compressed in time. */
class DrillScenarioTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A quiet day: no fault of its own, so that only the drill's shows. */
  private static final Scenario QUIET_DAY = new Scenario(Duration.ofDays(1), Duration.ZERO, Duration.ZERO);

  private final TestClock clock = new TestClock();

  @Test
  void everyScenarioIsNamedDescribedAndTimed() {
    assertThat(DrillScenario.catalog().keySet()).contains("surge-150", "surge-200", "payment-outage",
        "payment-timeouts", "slow-database", "cdn-failure", "logistics-down", "best-seller-stock-out",
        "feedback-drop", "peak-payment-outage", "black-friday");
    DrillScenario.catalog().values().forEach(s -> {
      assertThat(s.description()).isNotBlank();
      assertThat(s.length()).isPositive();
    });
  }

  @Test
  void surgesRaiseTrafficToOneAndAHalfAndTwiceTheBaseline() {
    assertThat(trafficRatio("surge-150")).isBetween(1.4, 1.6);
    assertThat(trafficRatio("surge-200")).isBetween(1.85, 2.15);
  }

  @Test
  void aPaymentOutageFailsTheCardGatewayOnlyAndEndsWithItsScript() {
    ShopSimulator shop = shop(1);
    ScenarioRun run = shop.startScenario(DrillScenario.named("payment-outage").orElseThrow(), 60);
    run(shop, Duration.ofSeconds(5));

    assertThat(ratio(shop, "shop_payments_total", Map.of("provider", "card-gateway", "outcome", "failure"),
        Map.of("provider", "card-gateway"))).isBetween(0.5, 0.7);
    assertThat(ratio(shop, "shop_payments_total", Map.of("provider", "wallet", "outcome", "failure"),
        Map.of("provider", "wallet"))).isLessThan(0.1);
    assertThat(run.endsAt()).isEqualTo(run.startedAt().plusSeconds(10));
    assertThat(shop.cardGatewayFailing()).isTrue();
    clock.advance(Duration.ofSeconds(6));
    assertThat(shop.currentScenario()).isEmpty();
    assertThat(shop.cardGatewayFailing()).isFalse();
  }

  @Test
  void paymentTimeoutsMakePaymentsSlowAndAnswer504() {
    ShopSimulator shop = shop(2);
    shop.startScenario(DrillScenario.named("payment-timeouts").orElseThrow(), 60);
    run(shop, Duration.ofSeconds(5));

    assertThat(sum(shop, "shop_http_requests_total", Map.of("route", "/payment", "code", "504"))).isPositive();
    assertThat(sum(shop, "shop_http_request_duration_seconds_bucket", Map.of("route", "/payment", "le", "5.0"))
        / sum(shop, "shop_http_request_duration_seconds_count", Map.of("route", "/payment"))).isLessThan(0.7);
  }

  @Test
  void aSlowDatabaseSlowsQueriesAndFillsThePool() {
    ShopSimulator shop = shop(3);
    shop.startScenario(DrillScenario.named("slow-database").orElseThrow(), 60);
    run(shop, Duration.ofSeconds(5));

    double fast = sum(shop, "shop_db_query_duration_seconds_bucket", Map.of("le", "0.025"));
    assertThat(fast / sum(shop, "shop_db_query_duration_seconds_count", Map.of())).isLessThan(0.05);
    assertThat(sum(shop, "shop_db_connections_in_use", Map.of())).isGreaterThan(40);
  }

  @Test
  void aCdnFailureSlowsPagesAndRaisesJavascriptErrors() {
    ShopSimulator shop = shop(4);
    List<ShopEvent> events = Collections.synchronizedList(new ArrayList<>());
    shop.onEvent(events::add);
    run(shop, Duration.ofSeconds(5));
    double quietErrors = share(events, e -> ((Number) e.fields().get("js_errors")).intValue() > 0);
    double quietLoad = meanLoad(events);
    events.clear();
    shop.startScenario(DrillScenario.named("cdn-failure").orElseThrow(), 60);
    run(shop, Duration.ofSeconds(5));

    assertThat(quietErrors).isLessThan(0.05);
    assertThat(share(events, e -> ((Number) e.fields().get("js_errors")).intValue() > 0)).isGreaterThan(0.7);
    assertThat(meanLoad(events)).isGreaterThan(quietLoad + 3000);
    assertThat(sum(shop, "shop_static_asset_errors_total", Map.of())).isPositive();
  }

  @Test
  void withTheLogisticsApiDownQuotesFailAndItsHealthCheckSays503() throws Exception {
    ShopSimulator shop = shop(5);
    try (ShopServer server = ShopServer.start(shop, 0)) {
      HttpClient http = HttpClient.newHttpClient();
      int before = http.send(HttpRequest.newBuilder(server.logisticsHealthUri()).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
      shop.startScenario(DrillScenario.named("logistics-down").orElseThrow(), 60);
      run(shop, Duration.ofSeconds(5));
      int during = http.send(HttpRequest.newBuilder(server.logisticsHealthUri()).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();

      assertThat(before).isEqualTo(200);
      assertThat(during).isEqualTo(503);
      assertThat(sum(shop, "shop_logistics_requests_total", Map.of("code", "503"))).isPositive();
    }
  }

  @Test
  void aStockOutEmptiesTheBestSellerAndItsInventoryEventsSaySo() {
    ShopSimulator shop = shop(6);
    List<ShopEvent> events = Collections.synchronizedList(new ArrayList<>());
    shop.onEvent(events::add);
    shop.startScenario(DrillScenario.named("best-seller-stock-out").orElseThrow(), 60);
    run(shop, Duration.ofSeconds(5));

    assertThat(sum(shop, "shop_stock_units", Map.of("sku", ShopSimulator.BEST_SELLER, "bestseller", "true"))).isZero();
    assertThat(sum(shop, "shop_out_of_stock_views_total", Map.of("sku", ShopSimulator.BEST_SELLER))).isPositive();
    assertThat(events).filteredOn(e -> e.type().equals("inventory_level")
            && e.fields().get("sku").equals(ShopSimulator.BEST_SELLER))
        .isNotEmpty().allSatisfy(e -> assertThat(((Number) e.fields().get("level")).doubleValue()).isZero());
  }

  @Test
  void aFeedbackDropLowersTheScoresCustomersGive() {
    ShopSimulator shop = shop(7);
    List<ShopEvent> events = Collections.synchronizedList(new ArrayList<>());
    shop.onEvent(events::add);
    run(shop, Duration.ofSeconds(20));
    double before = meanScore(events);
    events.clear();
    shop.startScenario(DrillScenario.named("feedback-drop").orElseThrow(), 60);
    run(shop, Duration.ofSeconds(10));

    assertThat(before).isGreaterThan(4);
    assertThat(meanScore(events)).isLessThan(3);
    // each complaint names its topic and page, as a shop's survey would
    assertThat(events).filteredOn(e -> e.type().equals("feedback")).isNotEmpty().allSatisfy(e -> {
      assertThat(e.fields().get("topic")).isIn("delivery", "checkout", "stock", "speed");
      assertThat(e.fields().get("page")).isIn("/checkout", "/payment", "/product", "/");
      assertThat((String) e.fields().get("comment")).isNotBlank();
    });
  }

  @Test
  void aCombinationPlaysItsStepsAtTheirOffsets() {
    DrillScenario scenario = DrillScenario.named("peak-payment-outage").orElseThrow();

    assertThat(scenario.effectsAt(Duration.ofMinutes(1)).traffic()).isEqualTo(1.75);
    assertThat(scenario.effectsAt(Duration.ofMinutes(1)).payment()).isNull();
    assertThat(scenario.effectsAt(Duration.ofMinutes(4)).payment().provider()).isEqualTo("card-gateway");
    assertThat(scenario.effectsAt(Duration.ofMinutes(14)).payment()).isNull();
    assertThat(DrillScenario.named("black-friday").orElseThrow().effectsAt(Duration.ofMinutes(13)))
        .extracting(DrillScenario.Effects::slowDatabase, DrillScenario.Effects::cdnDown).containsExactly(true, true);
  }

  @Test
  void theEndpointStartsListsRefusesAndStopsScenarios() throws Exception {
    ShopSimulator shop = shop(8);
    try (ShopServer server = ShopServer.start(shop, 0)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> started = send(http, server.baseUri().resolve("scenarios/payment-outage?speed=30"), "POST");
      HttpResponse<String> again = send(http, server.baseUri().resolve("scenarios/surge-150"), "POST");
      HttpResponse<String> unknown = send(http, server.baseUri().resolve("scenarios/meteor"), "POST");
      JsonNode listed = JSON.readTree(send(http, server.baseUri().resolve("scenarios"), "GET").body());
      HttpResponse<String> stopped = send(http, server.baseUri().resolve("scenarios/current"), "DELETE");

      assertThat(started.statusCode()).isEqualTo(202);
      JsonNode run = JSON.readTree(started.body());
      assertThat(run.path("scenario").asText()).isEqualTo("payment-outage");
      assertThat(Duration.between(Instant.parse(run.path("startedAt").asText()), Instant.parse(run.path("endsAt").asText())))
          .isEqualTo(Duration.ofSeconds(20));
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(again.body()).contains("payment-outage plays until");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("no scenario 'meteor'", "surge-200");
      assertThat(listed.at("/playing/scenario").asText()).isEqualTo("payment-outage");
      assertThat(listed.path("scenarios")).hasSize(DrillScenario.catalog().size());
      assertThat(stopped.statusCode()).isEqualTo(200);
      assertThat(shop.currentScenario()).isEmpty();
    }
  }

  private double trafficRatio(String scenario) {
    ShopSimulator shop = shop(9);
    run(shop, Duration.ofSeconds(20));
    double baseline = sum(shop, "shop_http_requests_total", Map.of("route", "/"));
    // At speed 60 the script's fifth minute, where both surges are at their height, is 5 s in.
    shop.startScenario(DrillScenario.named(scenario).orElseThrow(), 60);
    clock.advance(Duration.ofSeconds(5));
    run(shop, Duration.ofSeconds(10));
    return (sum(shop, "shop_http_requests_total", Map.of("route", "/")) - baseline) / baseline * 2;
  }

  private ShopSimulator shop(long seed) {
    return new ShopSimulator(QUIET_DAY, 100, clock, seed);
  }

  private void run(ShopSimulator shop, Duration duration) {
    for (long ms = 0; ms < duration.toMillis(); ms += 100) {
      shop.tick(Duration.ofMillis(100));
      clock.advance(Duration.ofMillis(100));
    }
  }

  private static double meanLoad(List<ShopEvent> events) {
    return events.stream().filter(e -> e.type().equals("page_view"))
        .mapToDouble(e -> ((Number) e.fields().get("load_ms")).doubleValue()).average().orElseThrow();
  }

  private static double meanScore(List<ShopEvent> events) {
    return events.stream().filter(e -> e.type().equals("feedback"))
        .mapToDouble(e -> ((Number) e.fields().get("score")).doubleValue()).average().orElseThrow();
  }

  private static double share(List<ShopEvent> events, Predicate<ShopEvent> test) {
    List<ShopEvent> views = events.stream().filter(e -> e.type().equals("page_view")).toList();
    return views.stream().filter(test).count() / (double) views.size();
  }

  private static double ratio(ShopSimulator shop, String metric, Map<String, String> part, Map<String, String> whole) {
    return sum(shop, metric, part) / sum(shop, metric, whole);
  }

  /** Sum of a metric's samples carrying every label of {@code labels}. */
  private static double sum(ShopSimulator shop, String metric, Map<String, String> labels) {
    double sum = 0;
    for (Collector.MetricFamilySamples family : Collections.list(shop.registry().metricFamilySamples())) {
      for (Collector.MetricFamilySamples.Sample s : family.samples) {
        if (s.name.equals(metric) && labels.entrySet().stream().allMatch(l -> {
          int i = s.labelNames.indexOf(l.getKey());
          return i >= 0 && s.labelValues.get(i).equals(l.getValue());
        })) {
          sum += s.value;
        }
      }
    }
    return sum;
  }

  private static HttpResponse<String> send(HttpClient http, URI uri, String method) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-11-27T09:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
