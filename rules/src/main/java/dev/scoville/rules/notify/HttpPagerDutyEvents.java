package dev.scoville.rules.notify;

import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentLinks;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;

/**
 * PagerDuty's Events API v2 over {@code java.net.http}: one POST of JSON per event to the
 * configured {@code .../v2/enqueue}, each attempt bounded by one deadline from connect to the last
 * byte of the answer. 202 is delivered; 400 and other 4xx can never be accepted as they are; 429
 * (honouring {@code Retry-After}), 5xx, timeouts and connection failures are retried by the outbox.
 * It replaces pagerduty-client, whose Unirest stack reads for up to 60 s with process-wide
 * settings and retries by sleeping the calling thread.
 */
public final class HttpPagerDutyEvents implements PagerDutyEvents {
  private final PagerDutyConfig config;
  private final IncidentLinks links;
  private final Duration deadline;
  private final HttpClient http;

  public HttpPagerDutyEvents(PagerDutyConfig config, Duration deadline) {
    this.config = config;
    this.links = new IncidentLinks(config.consoleUrl());
    this.deadline = deadline;
    this.http = HttpClient.newBuilder().connectTimeout(deadline).build();
  }

  @Override
  public Delivery send(String action, Incident incident, String routingKeyName) {
    String routingKey = config.routingKey(routingKeyName);
    if (routingKey == null) {
      return Delivery.rejected("no PagerDuty routing key named " + routingKeyName);
    }
    JsonObject event = switch (action) {
      // PagerDuty folds a repeated trigger into the open alert of its dedup_key, as Alertmanager relies on.
      case "trigger", "remind" -> trigger(incident, routingKey);
      case "acknowledge", "resolve" -> new JsonObject().put("routing_key", routingKey).put("event_action", action)
          .put("dedup_key", incident.dedupKey());
      default -> throw new IllegalArgumentException("unknown PagerDuty action " + action);
    };
    URI url = config.eventsUrl();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(deadline).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(event.encode())).build();
    HttpResponse<String> response;
    try {
      response = DeadlineExchange.send(http, request, deadline);
    } catch (DeadlineExchange.NoAnswer e) {
      return Delivery.retry("PagerDuty " + e.getMessage() + " (" + url + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Delivery.retry("interrupted while sending to PagerDuty");
    }
    return classify(response);
  }

  private JsonObject trigger(Incident incident, String routingKey) {
    JsonObject payload = new JsonObject()
        .put("summary", incident.summary())
        .put("source", config.source())
        .put("severity", incident.severity().name().toLowerCase())
        // Unset, PagerDuty stamps its own receive time: the incident's opening is the truth.
        .put("timestamp", incident.openedAt().atOffset(ZoneOffset.UTC).toString())
        .put("component", incident.rule())
        .put("class", incident.rule())
        .put("custom_details", new JsonObject().put("labels", incident.labels()).put("incident", incident.id()));
    JsonObject event = new JsonObject().put("routing_key", routingKey).put("event_action", "trigger")
        .put("dedup_key", incident.dedupKey()).put("client", "Scoville").put("payload", payload);
    JsonArray contexts = new JsonArray();
    links.incident(incident).ifPresent(href -> {
      event.put("client_url", href);
      contexts.add(new JsonObject().put("href", href).put("text", "Open in the Scoville war room"));
    });
    links.runbook(incident).ifPresent(href ->
        contexts.add(new JsonObject().put("href", href).put("text", "Runbook: " + incident.runbook())));
    if (!contexts.isEmpty()) {
      event.put("links", contexts);
    }
    return event;
  }

  /** The answer's JSON parsed once, for whichever description its status calls for. */
  private static Delivery classify(HttpResponse<String> response) {
    int status = response.statusCode();
    JsonObject answer = parse(response.body());
    String errors = field(answer, "errors");
    return Delivery.ofHttpAnswer(response, "accepted (" + status + "), dedup_key " + field(answer, "dedup_key"),
        "PagerDuty answered " + status + " " + field(answer, "message") + (errors.isEmpty() ? "" : " " + errors));
  }

  private static JsonObject parse(String body) {
    try {
      return body == null || body.isEmpty() ? new JsonObject() : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }

  private static String field(JsonObject answer, String name) {
    Object value = answer.getValue(name);
    return value == null ? "" : value.toString();
  }
}
