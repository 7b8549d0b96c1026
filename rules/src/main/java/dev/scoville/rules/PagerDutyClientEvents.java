package dev.scoville.rules;

import com.github.dikhan.pagerduty.client.events.PagerDutyEventsClient;
import com.github.dikhan.pagerduty.client.events.domain.AcknowledgeIncident;
import com.github.dikhan.pagerduty.client.events.domain.EventResult;
import com.github.dikhan.pagerduty.client.events.domain.LinkContext;
import com.github.dikhan.pagerduty.client.events.domain.Payload;
import com.github.dikhan.pagerduty.client.events.domain.ResolveIncident;
import com.github.dikhan.pagerduty.client.events.domain.Severity;
import com.github.dikhan.pagerduty.client.events.domain.TriggerIncident;
import com.github.dikhan.pagerduty.client.events.exceptions.NotifyEventException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.json.JSONObject;

/** {@link PagerDutyEvents} through pagerduty-client, with its own retries off: the outbox retries. */
final class PagerDutyClientEvents implements PagerDutyEvents {
  private final PagerDutyConfig config;
  private final PagerDutyEventsClient client;

  PagerDutyClientEvents(PagerDutyConfig config) {
    this.config = config;
    this.client = PagerDutyEventsClient.create(config.eventsUrl().toString(), false);
  }

  @Override
  public Delivery send(String action, Incident incident, String routingKeyName) {
    String routingKey = config.routingKey(routingKeyName);
    if (routingKey == null) {
      return Delivery.rejected("no PagerDuty routing key named " + routingKeyName);
    }
    try {
      EventResult result = switch (action) {
        // PagerDuty folds a repeated trigger into the open alert of its dedup_key, as Alertmanager relies on.
        case "trigger", "remind" -> client.trigger(trigger(incident, routingKey));
        case "acknowledge" -> client.acknowledge(
            AcknowledgeIncident.AcknowledgeIncidentBuilder.newBuilder(routingKey, incident.dedupKey()).build());
        case "resolve" -> client.resolve(
            ResolveIncident.ResolveIncidentBuilder.newBuilder(routingKey, incident.dedupKey()).build());
        default -> throw new IllegalArgumentException("unknown PagerDuty action " + action);
      };
      return classify(result);
    } catch (NotifyEventException e) {
      return Delivery.retry("PagerDuty unreachable: " + rootMessage(e));
    }
  }

  private TriggerIncident trigger(Incident incident, String routingKey) {
    JSONObject details = new JSONObject();
    details.put("labels", incident.labels());
    details.put("incident", incident.id());
    Payload payload = Payload.Builder.newBuilder()
        .setSummary(incident.summary())
        .setSource(config.source())
        .setSeverity(severity(incident.severity()))
        // The client would send null otherwise; PagerDuty then stamps its own receive time.
        .setTimestamp(incident.openedAt().atOffset(ZoneOffset.UTC))
        .setComponent(incident.rule())
        .setEventClass(incident.rule())
        .setCustomDetails(details)
        .build();
    TriggerIncident.TriggerIncidentBuilder builder =
        TriggerIncident.TriggerIncidentBuilder.newBuilder(routingKey, payload)
            .setDedupKey(incident.dedupKey())
            .setClient("Scoville");
    IncidentLinks links = new IncidentLinks(config.consoleUrl());
    List<LinkContext> contexts = new ArrayList<>();
    links.incident(incident).ifPresent(href -> {
      builder.setClientUrl(href);
      contexts.add(new LinkContext(href, "Open in the Scoville war room"));
    });
    links.runbook(incident).ifPresent(href -> contexts.add(new LinkContext(href, "Runbook: " + incident.runbook())));
    if (!contexts.isEmpty()) {
      builder.setLinks(contexts);
    }
    return builder.build();
  }

  private static Delivery classify(EventResult result) {
    String status = result.getStatus() == null ? "" : result.getStatus();
    if (status.equals("success")) {
      return Delivery.sent("accepted, dedup_key " + result.getDedupKey());
    }
    if (status.equals("invalid event") || status.equals("400")) {
      return Delivery.rejected("PagerDuty refused the event: " + result.getMessage() + " " + result.getErrors());
    }
    // 429 and 5xx come back as their status code.
    return Delivery.retry("PagerDuty answered " + status + " " + nullToEmpty(result.getMessage()));
  }

  private static Severity severity(Incident.Severity severity) {
    return switch (severity) {
      case CRITICAL -> Severity.CRITICAL;
      case ERROR -> Severity.ERROR;
      case WARNING -> Severity.WARNING;
      case INFO -> Severity.INFO;
    };
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
