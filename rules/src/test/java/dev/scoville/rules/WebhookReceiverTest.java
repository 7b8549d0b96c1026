package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.HttpWebhooks;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.rules.notify.WebhookConfig;
import dev.scoville.shop.PagerDutySink;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generic webhook receiver against a local receiver that checks each request's signature as
 * README tells receivers to, and reads the payload as an Alertmanager webhook receiver would.
 */
class WebhookReceiverTest {
  private static final String SECRET = "s3cr3t-from-the-environment";
  private static final Instant START = Instant.parse("2026-11-30T09:00:00Z");
  private static final String CONFIG = """
      escalation:
        - name: bridge
          levels:
            - notify: webhook:ops-bridge
      """;
  private static final Alert ALERT = new Alert("CheckoutDown",
      Labels.of("alertname", "CheckoutDown", "severity", "critical", "shop", "eu"), "Checkout answers 503", 1, START,
      new Handling("bridge", "checkout-down", List.of()));

  private final MutableClock clock = new MutableClock(START);
  private Database database;
  private SigningWebhookReceiver receiver;
  private PagerDutySink pagerDuty;
  private IncidentService incidents;
  private OutboxSender outbox;

  @BeforeEach
  void start() throws Exception {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    receiver = SigningWebhookReceiver.start(SECRET, clock::instant);
    pagerDuty = PagerDutySink.start(0);
    ConfigFile config = ConfigFile.parse("scoville.yaml", CONFIG, Map.<String, String>of()::get);
    PagerDutyConfig pagerDutyConfig = new PagerDutyConfig(pagerDuty.eventsUri(), "0123456789abcdef0123456789abcdef",
        "shop", URI.create("http://console.test/"));
    EscalationPolicies escalation = EscalationPolicies.of(config,
        List.of(config.section("escalation", EscalationPolicy[].class, null)), pagerDutyConfig, SlackConfig.none(),
        Set.of("ops-bridge"));
    incidents = new IncidentService(database, clock, escalation);
    HttpWebhooks webhooks = new HttpWebhooks(List.of(new WebhookConfig("ops-bridge", receiver.uri(), SECRET)),
        URI.create("http://console.test/"), Duration.ofSeconds(5), clock);
    outbox = new OutboxSender(database, incidents, new HttpPagerDutyEvents(pagerDutyConfig, Duration.ofSeconds(5)),
        null, webhooks, clock, Duration.ZERO, 4, List.of());
  }

  @AfterEach
  void stop() {
    outbox.close();
    receiver.close();
    pagerDuty.close();
    database.close();
  }

  @Test
  void sendsSignedAlertmanagerShapedNotificationsInOrder() {
    Incident incident = incidents.open(ALERT);
    outbox.sendDue();
    clock.advance(Duration.ofMinutes(1));
    incidents.acknowledge(incident.id(), "alice");
    incidents.resolve(ALERT);
    outbox.sendDue();

    assertThat(receiver.refused()).as("every signature checked out").isEmpty();
    assertThat(receiver.accepted()).extracting(b -> b.getJsonObject("scoville").getString("action"))
        .containsExactly("trigger", "acknowledge", "resolve");
    assertThat(receiver.accepted()).extracting(b -> b.getString("status")).containsExactly("firing", "firing", "resolved");

    JsonObject trigger = receiver.accepted().get(0);
    assertThat(trigger.getString("version")).isEqualTo("4");
    assertThat(trigger.getString("groupKey")).isEqualTo(incident.dedupKey());
    assertThat(trigger.getString("receiver")).isEqualTo("webhook:ops-bridge");
    assertThat(trigger.getString("externalURL")).isEqualTo("http://console.test/");
    JsonObject alert = trigger.getJsonArray("alerts").getJsonObject(0);
    assertThat(alert.getJsonObject("labels").getMap())
        .isEqualTo(Map.of("alertname", "CheckoutDown", "severity", "critical", "shop", "eu"));
    assertThat(alert.getJsonObject("annotations").getString("summary")).isEqualTo("Checkout answers 503");
    assertThat(alert.getJsonObject("annotations").getString("runbook_url"))
        .isEqualTo("http://console.test/runbooks/checkout-down");
    assertThat(alert.getString("startsAt")).isEqualTo("2026-11-30T09:00:00Z");
    assertThat(alert.getString("endsAt")).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(alert.getString("generatorURL")).isEqualTo("http://console.test/incidents/" + incident.id());
    assertThat(alert.getString("fingerprint")).isEqualTo(ALERT.fingerprint());
    assertThat(trigger.getJsonObject("scoville").getString("state")).isEqualTo("triggered");
    assertThat(trigger.getJsonObject("scoville").getString("severity")).isEqualTo("critical");

    JsonObject acknowledge = receiver.accepted().get(1);
    assertThat(acknowledge.getJsonObject("scoville").getString("state")).isEqualTo("resolved");
    JsonObject resolve = receiver.accepted().get(2);
    assertThat(resolve.getJsonArray("alerts").getJsonObject(0).getString("endsAt")).isEqualTo("2026-11-30T09:01:00Z");
    assertThat(incidents.timeline(incident.id())).extracting(IncidentEvent::detail)
        .contains("trigger sent to webhook:ops-bridge", "resolve sent to webhook:ops-bridge");
    assertThat(pagerDuty.received()).as("the policy names only the webhook").isEmpty();
  }

  @Test
  void retriesAServerErrorAndGivesUpOnARefusal() {
    receiver.answer(503, 200, 400);
    Incident incident = incidents.open(ALERT);
    outbox.sendDue();
    outbox.sendDue();
    incidents.resolve(ALERT);
    outbox.sendDue();
    outbox.sendDue();

    assertThat(receiver.statuses()).containsExactly(503, 200, 400);
    assertThat(OutboxRows.of(database, incident.id(), "webhook")).containsExactly("trigger SENT", "resolve FAILED");
    assertThat(incidents.timeline(incident.id())).extracting(IncidentEvent::detail)
        .anyMatch(d -> d.startsWith("webhook ops-bridge answered 400"));
  }

  @Test
  void refusesAPolicyNamingAnUnknownWebhook() {
    ConfigFile config = ConfigFile.parse("scoville.yaml", CONFIG, Map.<String, String>of()::get);
    assertThatThrownBy(() -> EscalationPolicies.of(config,
        List.of(config.section("escalation", EscalationPolicy[].class, null)), null, SlackConfig.none(), Set.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("scoville.yaml:4")
        .hasMessageContaining("no webhook named 'ops-bridge'");
  }
}
