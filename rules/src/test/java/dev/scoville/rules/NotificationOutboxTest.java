package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.shop.PagerDutySink;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox against the local PagerDuty sink, which checks events as PagerDuty documents them. */
class NotificationOutboxTest {
  private static final String ROUTING_KEY = "0123456789abcdef0123456789abcdef";
  private static final Alert ALERT = new Alert("PaymentSuccessLow",
      Labels.of("alertname", "PaymentSuccessLow", "severity", "critical"),
      "Payment success rate is 0.62", 0.62, Instant.parse("2026-11-27T09:00:00Z"));

  private final Clock clock = Clock.systemUTC();
  private Database database;
  private IncidentService incidents;
  private PagerDutySink sink;

  @BeforeEach
  void start() throws Exception {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    incidents = new IncidentService(database, clock, EscalationPolicies.defaults(SlackConfig.none()));
    sink = PagerDutySink.start(0);
  }

  @AfterEach
  void stop() {
    sink.close();
    database.close();
  }

  @Test
  void sendsTriggerAcknowledgeAndResolveInOrderWithOneDedupKey() {
    OutboxSender outbox = outbox(ROUTING_KEY, sink.eventsUri());
    Incident incident = incidents.open(ALERT);
    incidents.acknowledge(incident.id(), "alice");
    incidents.resolve(ALERT);

    outbox.sendDue();

    assertThat(sink.received()).extracting(PagerDutySink.ReceivedEvent::eventAction)
        .containsExactly("trigger", "acknowledge", "resolve");
    assertThat(sink.received()).extracting(PagerDutySink.ReceivedEvent::dedupKey).containsOnly(incident.dedupKey());
    JsonNode trigger = sink.received().get(0).body();
    assertThat(trigger.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
    assertThat(trigger.path("payload").path("summary").asText()).isEqualTo("Payment success rate is 0.62");
    assertThat(trigger.path("payload").path("severity").asText()).isEqualTo("critical");
    assertThat(trigger.path("payload").path("source").asText()).isEqualTo("hot-sauce-shop");
    assertThat(Instant.parse(trigger.path("payload").path("timestamp").asText())).isEqualTo(incident.openedAt());
    assertThat(trigger.path("links").get(0).path("href").asText()).isEqualTo("http://console.test/incidents/" + incident.id());
    assertThat(incidents.timeline(incident.id())).extracting(IncidentEvent::kind)
        .containsExactly("triggered", "acknowledged", "resolved", "notified", "notified", "notified");
  }

  @Test
  void retriesWhilePagerDutyIsUnreachableAndDeliversOnceItIsBack() throws Exception {
    int port = sink.eventsUri().getPort();
    sink.close();
    OutboxSender outbox = outbox(ROUTING_KEY, sink.eventsUri());
    Incident incident = incidents.open(ALERT);

    outbox.sendDue();
    outbox.sendDue();
    sink = PagerDutySink.start(port);
    outbox.sendDue();
    outbox.sendDue();

    assertThat(sink.received()).extracting(PagerDutySink.ReceivedEvent::eventAction).containsExactly("trigger");
    assertThat(outboxRow(incident.id())).isEqualTo("SENT after 3 attempts");
  }

  @Test
  void doesNotRetryAnEventPagerDutyRefuses() {
    OutboxSender outbox = outbox("not-a-valid-key", sink.eventsUri());
    Incident incident = incidents.open(ALERT);

    outbox.sendDue();
    outbox.sendDue();

    assertThat(sink.received()).isEmpty();
    assertThat(outboxRow(incident.id())).isEqualTo("FAILED after 1 attempts");
    assertThat(incidents.timeline(incident.id())).extracting(IncidentEvent::kind).contains("notification-failed");
  }

  @Test
  void retriesWhenPagerDutyThrottlesAndDeliversOnce() throws Exception {
    try (ScriptedPagerDuty pagerDuty = ScriptedPagerDuty.answering(429, 202)) {
      OutboxSender outbox = outbox(ROUTING_KEY, pagerDuty.eventsUri());
      Incident incident = incidents.open(ALERT);

      outbox.sendDue();
      outbox.sendDue();
      outbox.sendDue();

      assertThat(pagerDuty.requests()).isEqualTo(2);
      assertThat(outboxRow(incident.id())).isEqualTo("SENT after 2 attempts");
      assertThat(incidents.timeline(incident.id())).extracting(IncidentEvent::kind).containsOnlyOnce("notified");
    }
  }

  @Test
  void retriesAfterAPagerDutyServerErrorAndDeliversOnce() throws Exception {
    try (ScriptedPagerDuty pagerDuty = ScriptedPagerDuty.answering(500, 503, 202)) {
      OutboxSender outbox = outbox(ROUTING_KEY, pagerDuty.eventsUri());
      Incident incident = incidents.open(ALERT);

      for (int i = 0; i < 4; i++) {
        outbox.sendDue();
      }

      assertThat(pagerDuty.requests()).isEqualTo(3);
      assertThat(outboxRow(incident.id())).isEqualTo("SENT after 3 attempts");
    }
  }

  @Test
  void opensOneIncidentPerFiringAlert() {
    Incident first = incidents.open(ALERT);

    assertThat(incidents.open(ALERT)).isNull();
    assertThat(incidents.recent(10)).extracting(Incident::id).containsExactly(first.id());
  }

  private OutboxSender outbox(String routingKey, URI eventsUrl) {
    PagerDutyConfig config = new PagerDutyConfig(eventsUrl, routingKey, "hot-sauce-shop", URI.create("http://console.test/"));
    return new OutboxSender(database, incidents, new HttpPagerDutyEvents(config, Duration.ofSeconds(10)), null, clock, Duration.ZERO);
  }

  /** PagerDuty's Events API answering each request with the next status of a script, then 202. */
  private static final class ScriptedPagerDuty implements AutoCloseable {
    private final HttpServer server;
    private final Deque<Integer> statuses;
    private final AtomicInteger requests = new AtomicInteger();

    private ScriptedPagerDuty(HttpServer server, Deque<Integer> statuses) {
      this.server = server;
      this.statuses = statuses;
    }

    static ScriptedPagerDuty answering(Integer... statuses) throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      ScriptedPagerDuty pagerDuty = new ScriptedPagerDuty(server, new ConcurrentLinkedDeque<>(List.of(statuses)));
      server.createContext("/v2/enqueue", pagerDuty::answer);
      server.start();
      return pagerDuty;
    }

    private void answer(HttpExchange exchange) throws IOException {
      exchange.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      Integer next = statuses.poll();
      int status = next == null ? 202 : next;
      String body = switch (status) {
        case 202 -> "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"k\"}";
        case 429 -> "{\"status\":\"throttle event\",\"message\":\"Requests for this service are arriving too quickly.\"}";
        default -> "{\"status\":\"error\",\"message\":\"internal server error\"}";
      };
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }

    URI eventsUri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/enqueue");
    }

    int requests() {
      return requests.get();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private String outboxRow(long incidentId) {
    return database.inTransaction(c -> {
      try (var st = c.prepareStatement("SELECT status, attempts FROM outbox WHERE incident_id = ?")) {
        st.setLong(1, incidentId);
        try (var rs = st.executeQuery()) {
          rs.next();
          return rs.getString(1) + " after " + rs.getInt(2) + " attempts";
        }
      }
    });
  }
}
