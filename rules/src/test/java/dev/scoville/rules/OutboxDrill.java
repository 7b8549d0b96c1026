package dev.scoville.rules;

import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.PagerDutyConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The process that {@link OutboxDurabilityTest} kills with SIGKILL: {@code OutboxDrill <jdbc-url>
 * <events-url> <incidents> <write|retry>}. It opens, acknowledges and resolves incidents, then
 * either stops before anything is sent ({@code write}) or keeps retrying against a PagerDuty that
 * does not answer ({@code retry}); it prints {@code READY} when the parent may kill it.
 */
public final class OutboxDrill {
  static final String ROUTING_KEY = "0123456789abcdef0123456789abcdef";

  private OutboxDrill() {}

  public static void main(String[] args) throws Exception {
    Database database = Database.open(args[0]);
    database.migrate("rules");
    Clock clock = Clock.systemUTC();
    IncidentService incidents = new IncidentService(database, clock, EscalationPolicies.defaults(SlackConfig.none()));
    int count = Integer.parseInt(args[2]);
    for (int i = 0; i < count; i++) {
      Alert alert = alert(i);
      Incident incident = incidents.open(alert);
      incidents.acknowledge(incident.id(), "drill");
      incidents.resolve(alert);
    }
    if (args[3].equals("retry")) {
      OutboxSender outbox = outbox(database, incidents, URI.create(args[1]), clock);
      outbox.start();
      Thread.sleep(1500);
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(5).toMillis());
  }

  static Alert alert(int i) {
    return new Alert("CheckoutLatencyHigh", Labels.of("alertname", "CheckoutLatencyHigh", "shard", "s" + i),
        "Checkout p95 is slow on shard " + i, 1.5, Instant.now(), Handling.DEFAULT);
  }

  static OutboxSender outbox(Database database, IncidentService incidents, URI eventsUrl, Clock clock) {
    PagerDutyConfig config = new PagerDutyConfig(eventsUrl, ROUTING_KEY, "drill", null);
    return new OutboxSender(database, incidents, new HttpPagerDutyEvents(config, Duration.ofSeconds(10)), null, clock, Duration.ofMillis(50));
  }
}
