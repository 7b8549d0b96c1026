package dev.scoville.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PagerDutySinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private PagerDutySink sink;

  @BeforeEach
  void start() throws Exception {
    sink = PagerDutySink.start(0);
  }

  @AfterEach
  void stop() {
    sink.close();
  }

  @Test
  void acceptsAValidTriggerAndAnswersAsPagerDutyDoes() throws Exception {
    HttpResponse<String> response = post("""
        {"routing_key":"0123456789abcdef0123456789abcdef","event_action":"trigger","dedup_key":"k-1",
         "payload":{"summary":"Checkout slow","source":"shop","severity":"critical","timestamp":"2026-11-27T09:00:00Z"}}
        """);

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("success");
    assertThat(body.path("dedup_key").asText()).isEqualTo("k-1");
    assertThat(sink.received()).extracting(PagerDutySink.ReceivedEvent::eventAction).containsExactly("trigger");
  }

  @Test
  void acceptsAnIso8601TimestampWithoutSeconds() throws Exception {
    HttpResponse<String> response = post("""
        {"routing_key":"0123456789abcdef0123456789abcdef","event_action":"trigger",
         "payload":{"summary":"Checkout slow","source":"shop","severity":"error","timestamp":"2026-11-27T09:01Z"}}
        """);

    assertThat(response.statusCode()).isEqualTo(202);
  }

  @Test
  void refusesAnInvalidEventWith400AndKeepsNothing() throws Exception {
    HttpResponse<String> response = post("""
        {"routing_key":"short","event_action":"acknowledge","payload":{}}
        """);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("invalid event");
    assertThat(body.path("errors").toString()).contains("routing_key", "dedup_key");
    assertThat(sink.received()).isEmpty();
  }

  @Test
  void refusesATriggerWithoutSummarySourceOrSeverity() throws Exception {
    HttpResponse<String> response = post("""
        {"routing_key":"0123456789abcdef0123456789abcdef","event_action":"trigger",
         "payload":{"severity":"bad","timestamp":"yesterday"}}
        """);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("payload.summary", "payload.source", "payload.severity", "payload.timestamp");
  }

  @Test
  void keepsOnlyTheNewestEventsHoweverManyArrive() throws Exception {
    sink.close();
    sink = PagerDutySink.start(0, 3);
    for (int i = 0; i < 5; i++) {
      post("""
          {"routing_key":"0123456789abcdef0123456789abcdef","event_action":"resolve","dedup_key":"k-%d"}
          """.formatted(i));
    }

    assertThat(sink.received()).extracting(PagerDutySink.ReceivedEvent::dedupKey).containsExactly("k-2", "k-3", "k-4");
  }

  private HttpResponse<String> post(String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(sink.eventsUri())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
