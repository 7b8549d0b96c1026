package dev.scoville.rules.notify;

import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentLinks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The generic webhook receivers: one signed JSON POST per notification, shaped as Alertmanager's
 * webhook payload (version 4, one alert per incident) so that existing receivers parse it, plus
 * a {@code scoville} object with the incident. Each attempt is bounded by one deadline; 2xx is
 * delivered, 429 (honouring {@code Retry-After}), 5xx, timeouts and connection failures are
 * retried by the outbox, any other answer is a refusal, as Alertmanager treats its webhooks.
 */
public final class HttpWebhooks {
  /** Alertmanager's {@code endsAt} of an alert still firing. */
  private static final String STILL_FIRING = "0001-01-01T00:00:00Z";

  private final Map<String, WebhookConfig> byName;
  private final IncidentLinks links;
  private final Duration deadline;
  private final Clock clock;
  private final HttpClient http;

  public HttpWebhooks(List<WebhookConfig> webhooks, URI consoleUrl, Duration deadline, Clock clock) {
    this.byName = webhooks.stream().collect(Collectors.toUnmodifiableMap(WebhookConfig::name, Function.identity()));
    this.links = new IncidentLinks(consoleUrl);
    this.deadline = deadline;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(deadline).build();
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /**
   * Sends {@code action} ({@code trigger}, {@code remind}, {@code acknowledge}, {@code resolve})
   * about {@code incident}, whose alert has {@code labels} and {@code fingerprint}, to the webhook
   * {@code name}.
   */
  public Delivery send(String action, Incident incident, Map<String, String> labels, String fingerprint,
      String name) {
    WebhookConfig webhook = byName.get(name);
    if (webhook == null) {
      return Delivery.rejected("no webhook named " + name);
    }
    byte[] body = payload(action, incident, labels, fingerprint, name).encode().getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(webhook.url()).timeout(deadline)
        .header("Content-Type", "application/json")
        .header("User-Agent", "Scoville")
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(webhook.secret(), timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> response;
    try {
      response = DeadlineExchange.send(http, request, deadline);
    } catch (DeadlineExchange.NoAnswer e) {
      return Delivery.retry("webhook " + name + " " + e.getMessage() + " (" + webhook.url() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Delivery.retry("interrupted while sending to webhook " + name);
    }
    String detail = "webhook " + name + " answered " + response.statusCode() + " (" + webhook.url() + ")";
    return Delivery.ofHttpAnswer(response, detail, detail);
  }

  JsonObject payload(String action, Incident incident, Map<String, String> labels, String fingerprint, String name) {
    boolean resolved = action.equals("resolve");
    String status = resolved ? "resolved" : "firing";
    JsonObject labelObject = new JsonObject(Map.copyOf(labels).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> (Object) e.getValue())));
    JsonObject annotations = new JsonObject().put("summary", incident.summary());
    links.runbook(incident).ifPresent(href -> annotations.put("runbook_url", href));
    Instant endsAt = resolved ? Optional.ofNullable(incident.resolvedAt()).orElse(clock.instant()) : null;
    JsonObject alert = new JsonObject()
        .put("status", status)
        .put("labels", labelObject)
        .put("annotations", annotations)
        .put("startsAt", rfc3339(incident.openedAt()))
        .put("endsAt", endsAt == null ? STILL_FIRING : rfc3339(endsAt))
        .put("generatorURL", links.incident(incident).orElse(""))
        .put("fingerprint", fingerprint);
    JsonObject scoville = new JsonObject()
        .put("incidentId", incident.id())
        .put("dedupKey", incident.dedupKey())
        .put("action", action)
        .put("state", incident.state().name().toLowerCase())
        .put("severity", incident.severity().name().toLowerCase())
        .put("rule", incident.rule())
        .put("openedAt", rfc3339(incident.openedAt()))
        .put("acknowledgedBy", incident.acknowledgedBy())
        .put("acknowledgedAt", incident.acknowledgedAt() == null ? null : rfc3339(incident.acknowledgedAt()))
        .put("resolvedAt", incident.resolvedAt() == null ? null : rfc3339(incident.resolvedAt()))
        .put("escalationLevel", incident.escalationLevel())
        .put("runbook", incident.runbook())
        .put("url", links.incident(incident).orElse(null));
    return new JsonObject()
        .put("version", "4")
        .put("groupKey", incident.dedupKey())
        .put("truncatedAlerts", 0)
        .put("status", status)
        .put("receiver", "webhook:" + name)
        .put("groupLabels", new JsonObject().put("alertname", incident.rule()))
        .put("commonLabels", labelObject.copy())
        .put("commonAnnotations", annotations.copy())
        .put("externalURL", links.consoleUrl() == null ? "" : links.consoleUrl().toString())
        .put("alerts", new JsonArray().add(alert))
        .put("scoville", scoville);
  }

  /** With seconds always written, as Go's RFC 3339 parsing needs (OffsetDateTime drops ":00"). */
  private static String rfc3339(Instant instant) {
    return instant.toString();
  }
}
