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
 * The process that {@link SlackPostOnceTest} kills with SIGKILL while Slack holds the answer to
 * its chat.postMessage: {@code SlackPostDrill <jdbc-url> <slack-methods-url>}.
 */
public final class SlackPostDrill {
  static final String TOKEN = "xoxb-drill-token";
  static final Alert ALERT = new Alert("CheckoutDown", Labels.of("alertname", "CheckoutDown", "severity", "critical"),
      "Checkout answers 503", 1, Instant.parse("2026-11-30T09:00:00Z"), Handling.DEFAULT);

  private SlackPostDrill() {}

  public static void main(String[] args) throws Exception {
    Database database = Database.open(args[0]);
    database.migrate("rules");
    Clock clock = Clock.systemUTC();
    SlackConfig config = config(URI.create(args[1]));
    EscalationPolicies escalation = EscalationPolicies.defaults(config);
    IncidentService incidents = new IncidentService(database, clock, escalation);
    incidents.open(ALERT);
    outbox(database, incidents, config, clock).sendDue();
    Thread.sleep(Duration.ofMinutes(5).toMillis());
  }

  static SlackConfig config(URI methodsUrl) {
    return new SlackConfig(methodsUrl, TOKEN, "signing-secret", "#war-room", URI.create("http://console.test/"));
  }

  /** The outbox to Slack, PagerDuty being a closed port (its rows only retry). */
  static OutboxSender outbox(Database database, IncidentService incidents, SlackConfig config, Clock clock) {
    PagerDutyConfig pagerDuty = new PagerDutyConfig(URI.create("http://127.0.0.1:9/v2/enqueue"),
        "0123456789abcdef0123456789abcdef", "drill", null);
    return new OutboxSender(database, incidents, new HttpPagerDutyEvents(pagerDuty, Duration.ofSeconds(10)),
        new SlackMessages(config, database, EscalationPolicies.defaults(config), clock), clock, Duration.ZERO);
  }
}
