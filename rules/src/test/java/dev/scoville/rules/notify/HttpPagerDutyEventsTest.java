package dev.scoville.rules.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.scoville.rules.Incident;
import dev.scoville.rules.notify.Delivery.Outcome;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PagerDuty's answers to an event (WIRE.md), as a local Events API gives them. */
class HttpPagerDutyEventsTest {
  private static final Incident INCIDENT = new Incident(7, "scoville-7", "CheckoutErrors", "{route=\"/checkout\"}",
      "checkout errors", Incident.Severity.CRITICAL, Incident.State.TRIGGERED, Instant.parse("2026-11-27T10:00:00Z"), null,
      null, null, null, 0, null, List.of());

  private HttpServer server;

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void anAcceptedEventIsSentWithTheDedupKeyPagerDutyAnswered() throws Exception {
    HttpPagerDutyEvents events = eventsAnswering(202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"scoville-7\"}");

    Delivery delivery = events.send("trigger", INCIDENT, null);

    assertThat(delivery.outcome()).isEqualTo(Outcome.SENT);
    assertThat(delivery.detail()).isEqualTo("accepted (202), dedup_key scoville-7");
  }

  @Test
  void anInvalidEventIsRejectedWithPagerDutysMessageAndErrors() throws Exception {
    HttpPagerDutyEvents events = eventsAnswering(400,
        "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"'routing_key' is missing\"]}");

    Delivery delivery = events.send("trigger", INCIDENT, null);

    assertThat(delivery.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(delivery.detail()).isEqualTo("PagerDuty answered 400 Event object is invalid [\"'routing_key' is missing\"]");
  }

  @Test
  void anAnswerThatIsNoJsonStillSaysItsStatus() throws Exception {
    HttpPagerDutyEvents events = eventsAnswering(503, "<html>upstream unavailable</html>");

    Delivery delivery = events.send("resolve", INCIDENT, null);

    assertThat(delivery.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(delivery.detail()).isEqualTo("PagerDuty answered 503 ");
  }

  private HttpPagerDutyEvents eventsAnswering(int status, String answer) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v2/enqueue", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/enqueue");
    return new HttpPagerDutyEvents(new PagerDutyConfig(url, "R0UT1NGKEY", null, null), Duration.ofSeconds(5));
  }
}
