package dev.scoville.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.client.Collector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopSimulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Scenario SCENARIO = new Scenario(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(1));

  private final MutableClock clock = new MutableClock();

  @Test
  void followsTheScenarioFromBaselineThroughPeakAndFaultToRecovery() {
    ShopSimulator shop = new ShopSimulator(SCENARIO, 20, clock, 1);

    assertThat(shop.phase()).isEqualTo(Scenario.Phase.BASELINE);
    clock.advance(Duration.ofSeconds(61));
    assertThat(shop.phase()).isEqualTo(Scenario.Phase.PEAK);
    clock.advance(Duration.ofSeconds(60));
    assertThat(shop.phase()).isEqualTo(Scenario.Phase.FAULT);
    clock.advance(Duration.ofSeconds(60));
    assertThat(shop.phase()).isEqualTo(Scenario.Phase.RECOVERY);
  }

  @Test
  void peakTrafficIsAboutSevenFourthsOfBaseline() {
    ShopSimulator shop = new ShopSimulator(SCENARIO, 50, clock, 2);
    double baseline = homeRequests(shop, Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(60));
    double peak = homeRequests(shop, Duration.ofSeconds(30)) - baseline;

    assertThat(peak / baseline).isBetween(1.5, 2.0);
  }

  @Test
  void paymentsFailDuringTheFaultAndSucceedOtherwise() {
    ShopSimulator shop = new ShopSimulator(SCENARIO, 100, clock, 3);
    run(shop, Duration.ofSeconds(30));
    double baselineSuccess = paymentSuccessRatio(shop);
    clock.advance(Duration.ofSeconds(120));
    ShopSimulator faulty = shop;
    double before = sample(faulty, "shop_payments_total", "outcome", "failure");
    run(faulty, Duration.ofSeconds(30));

    assertThat(baselineSuccess).isGreaterThan(0.97);
    assertThat(sample(faulty, "shop_payments_total", "outcome", "failure") - before).isGreaterThan(100);
  }

  @Test
  void emitsTheFunnelAsEvents() {
    ShopSimulator shop = new ShopSimulator(SCENARIO, 50, clock, 4);
    List<ShopEvent> events = Collections.synchronizedList(new ArrayList<>());
    shop.onEvent(events::add);

    run(shop, Duration.ofSeconds(10));

    assertThat(events).extracting(ShopEvent::type)
        .contains("page_view", "cart_created", "checkout_started", "payment_result", "order_placed");
    ShopEvent order = events.stream().filter(e -> e.type().equals("order_placed")).findFirst().orElseThrow();
    assertThat(order.asJsonObject()).containsKeys("type", "time", "order", "amount", "currency", "completion_ms");
  }

  @Test
  void theBackupPaymentProviderCarriesCardPaymentsThroughTheFault() {
    ShopSimulator primary = new ShopSimulator(SCENARIO, 50, clock, 7);
    ShopSimulator backup = new ShopSimulator(SCENARIO, 50, clock, 7);
    backup.useFlags(Map.of("payment-provider", "backup"));
    clock.advance(Duration.ofSeconds(121));
    run(primary, Duration.ofSeconds(30));
    run(backup, Duration.ofSeconds(30));

    assertThat(failureRatio(primary)).isGreaterThan(0.2);
    assertThat(sample(backup, "shop_payments_total", "provider", "card-gateway")).isZero();
    assertThat(sample(backup, "shop_payments_total", "provider", "backup-gateway")).isPositive();
    assertThat(failureRatio(backup)).isLessThan(0.05);
  }

  private static double failureRatio(ShopSimulator shop) {
    return sample(shop, "shop_payments_total", "outcome", "failure")
        / (sample(shop, "shop_payments_total", "outcome", "failure") + sample(shop, "shop_payments_total", "outcome", "success"));
  }

  @Test
  void servesPrometheusTextOrOpenMetricsAsAsked() throws Exception {
    ShopSimulator simulator = new ShopSimulator(SCENARIO, 20, Clock.systemUTC(), 5);
    simulator.tick(Duration.ofSeconds(10));
    try (ShopServer server = ShopServer.start(simulator, 0)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> text = get(http, server.metricsUri(), "text/plain;version=0.0.4");
      HttpResponse<String> openMetrics = get(http, server.metricsUri(),
          "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4");

      assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
      assertThat(text.body()).contains("# TYPE shop_http_request_duration_seconds histogram",
          "shop_http_request_duration_seconds_bucket{route=\"/checkout\",le=\"0.8\",}");
      assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/openmetrics-text"));
      assertThat(openMetrics.body()).endsWith("# EOF\n");
    }
  }

  @Test
  void theCardGatewaysStatusPageAdmitsTheFaultWhileItLasts() throws Exception {
    ShopSimulator simulator = new ShopSimulator(SCENARIO, 20, clock, 6);
    try (ShopServer server = ShopServer.start(simulator, 0)) {
      HttpClient http = HttpClient.newHttpClient();
      JsonNode before = JSON.readTree(get(http, server.statusPageUri(), "application/json").body());
      clock.advance(Duration.ofSeconds(121));
      JsonNode during = JSON.readTree(get(http, server.statusPageUri(), "application/json").body());

      assertThat(before.at("/status/indicator").asText()).isEqualTo("none");
      assertThat(before.at("/components/0/status").asText()).isEqualTo("operational");
      assertThat(before.at("/incidents")).isEmpty();
      assertThat(during.at("/status/indicator").asText()).isEqualTo("major");
      assertThat(during.at("/components/0/name").asText()).isEqualTo("Card payments");
      assertThat(during.at("/components/0/status").asText()).isEqualTo("partial_outage");
      assertThat(during.at("/incidents/0/name").asText()).isEqualTo("Elevated card payment errors");
    }
  }

  private static HttpResponse<String> get(HttpClient http, URI uri, String accept) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
  }

  private double homeRequests(ShopSimulator shop, Duration duration) {
    run(shop, duration);
    return sample(shop, "shop_http_requests_total", "route", "/");
  }

  private void run(ShopSimulator shop, Duration duration) {
    for (long ms = 0; ms < duration.toMillis(); ms += 100) {
      shop.tick(Duration.ofMillis(100));
      clock.advance(Duration.ofMillis(100));
    }
  }

  private static double paymentSuccessRatio(ShopSimulator shop) {
    double success = sample(shop, "shop_payments_total", "outcome", "success");
    double failure = sample(shop, "shop_payments_total", "outcome", "failure");
    return success / (success + failure);
  }

  /** Sum of a metric's samples whose label {@code name} has {@code value}. */
  private static double sample(ShopSimulator shop, String metric, String name, String value) {
    double sum = 0;
    for (Collector.MetricFamilySamples family : Collections.list(shop.registry().metricFamilySamples())) {
      for (Collector.MetricFamilySamples.Sample s : family.samples) {
        int i = s.labelNames.indexOf(name);
        if (s.name.equals(metric) && i >= 0 && s.labelValues.get(i).equals(value)) {
          sum += s.value;
        }
      }
    }
    return sum;
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-27T09:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
