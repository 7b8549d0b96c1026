package dev.scoville.console;

import static dev.scoville.console.DemoApp.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoville.shop.PagerDutySink;
import dev.scoville.shop.PagerDutySink.ReceivedEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path once, on the real application: the shop's payment fault is scraped, the rule
 * fires, an incident is stored and paged, acknowledged through the API, and resolved when the
 * shop recovers — each step seen by the local PagerDuty sink as PagerDuty would see it.
 */
class PageLifecycleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Scoville app;

  @BeforeAll
  static void start() throws Exception {
    app = DemoApp.start();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void pagesAcknowledgesAndResolvesWithOneDedupKey() throws Exception {
    PagerDutySink sink = app.pagerDutySink().orElseThrow();

    ReceivedEvent trigger = await(Duration.ofSeconds(60), () -> find(sink, "trigger", null));
    String dedupKey = trigger.dedupKey();
    JsonNode body = trigger.body();
    assertThat(body.path("routing_key").asText()).isEqualTo(DemoApp.ROUTING_KEY);
    assertThat(dedupKey).startsWith("scoville-PaymentSuccessLow-");
    JsonNode payload = body.path("payload");
    assertThat(payload.path("summary").asText()).matches("Payment success rate is [0-9.]+% \\(below 95%\\)");
    assertThat(payload.path("source").asText()).isEqualTo("hot-sauce-shop");
    assertThat(payload.path("severity").asText()).isEqualTo("critical");
    assertThat(Instant.parse(payload.path("timestamp").asText())).isBefore(trigger.receivedAt());
    assertThat(body.path("links").get(0).path("href").asText()).startsWith(app.consoleUrl().toString());

    JsonNode incident = incidents().stream()
        .filter(i -> i.path("dedupKey").asText().equals(dedupKey)).findFirst().orElseThrow();
    assertThat(incident.path("state").asText()).isEqualTo("triggered");
    HttpResponse<String> ack = HTTP.send(authorized(app.apiUrl().resolve("api/incidents/" + incident.path("id").asLong() + "/acknowledge"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ack.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ack.body()).path("state").asText()).isEqualTo("acknowledged");

    ReceivedEvent acknowledge = await(Duration.ofSeconds(10), () -> find(sink, "acknowledge", dedupKey));
    assertThat(acknowledge.body().path("routing_key").asText()).isEqualTo(DemoApp.ROUTING_KEY);

    ReceivedEvent resolve = await(Duration.ofSeconds(90), () -> find(sink, "resolve", dedupKey));
    assertThat(resolve.receivedAt()).isAfter(acknowledge.receivedAt());
    assertThat(sink.received().stream().filter(e -> e.dedupKey().equals(dedupKey)).map(ReceivedEvent::eventAction))
        .containsExactly("trigger", "acknowledge", "resolve");
  }

  @Test
  void refusesTheApiWithoutCredentials() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(app.apiUrl().resolve("api/incidents")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"scoville\"");
  }

  @Test
  void exposesScrapeAndRuleCountersAsPrometheusText() throws Exception {
    await(Duration.ofSeconds(30), () -> Optional.of(metrics()).filter(m -> m.contains("scoville_rule_evaluations_total{rule=\"PaymentSuccessLow\"")));
    String metrics = metrics();

    assertThat(metrics).contains("# TYPE scoville_scrapes_total counter")
        .containsPattern("scoville_scrapes_total\\{job=\"shop\",result=\"success\",} [1-9]")
        .containsPattern("scoville_rule_evaluations_total\\{rule=\"PaymentSuccessLow\",} [1-9]")
        .contains("jvm_memory_bytes_used");
  }

  private static String metrics() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(app.apiUrl().resolve("metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    return response.body();
  }

  private static List<JsonNode> incidents() throws Exception {
    HttpResponse<String> response = HTTP.send(authorized(app.apiUrl().resolve("api/incidents")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode array = JSON.readTree(response.body());
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).toList();
  }

  private static HttpRequest.Builder authorized(URI uri) {
    String credentials = Base64.getEncoder().encodeToString(
        (DemoApp.USER + ":" + DemoApp.PASSWORD).getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(uri).header("Authorization", "Basic " + credentials);
  }

  private static Optional<ReceivedEvent> find(PagerDutySink sink, String action, String dedupKey) {
    return sink.received().stream()
        .filter(e -> e.eventAction().equals(action) && (dedupKey == null || e.dedupKey().equals(dedupKey)))
        .findFirst();
  }

}
