package dev.scoville.rules.intake;

import dev.scoville.core.Labels;
import dev.scoville.core.Utf8;
import dev.scoville.rules.Alert;
import dev.scoville.rules.Handling;
import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts posted by another alerting system (Alertmanager, Grafana), which share one payload shape:
 * {@code alerts[]} with status, labels, annotations, startsAt and endsAt. Each becomes or resolves
 * an incident through the same path as the rules' alerts, keyed by its labels (as the sender's
 * fingerprint is). Answers 2xx only once every alert is committed, 5xx when storing failed (the
 * sender retries; storing again is harmless), and 4xx only for what can never be accepted.
 */
final class AlertIntake {
  private static final Logger LOG = LoggerFactory.getLogger(AlertIntake.class);
  private static final long MAX_BODY = 4 * 1024 * 1024;
  /** Go's zero time, which Alertmanager and Grafana send as the end of an alert still firing. */
  private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private final Vertx vertx;
  private final IncidentService incidents;
  private final byte[] tokenDigest;
  private final Clock clock;
  private final String sender;
  private final Function<JsonObject, String> versionProblem;

  /** {@code versionProblem} says what is wrong with the payload's version, or null. */
  AlertIntake(Vertx vertx, IncidentService incidents, IntakeConfig config, Clock clock, String sender,
      Function<JsonObject, String> versionProblem) {
    this.vertx = vertx;
    this.incidents = incidents;
    this.tokenDigest = config.token() == null || config.token().isEmpty() ? null : sha256(config.token());
    this.clock = clock;
    this.sender = sender;
    this.versionProblem = versionProblem;
  }

  void mount(Router router, String path) {
    // The token is checked before the body is read, so strangers do not get to upload 4 MB; a
    // route of its own, since Vert.x wants the body handler first on a route.
    router.post(path).handler(this::authorize);
    router.post(path).handler(BodyHandler.create().setBodyLimit(MAX_BODY)).handler(this::receive);
  }

  private void authorize(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    // Digests of equal length compared in constant time: neither the token nor its length leaks.
    if (tokenDigest == null || !bearer || !MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).trim()))) {
      ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"scoville\"")
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", "a bearer token (intake.token) is needed").encode());
      return;
    }
    ctx.next();
  }

  private void receive(RoutingContext ctx) {
    List<Received> received;
    try {
      // The sender's routing picks the policy: one webhook URL per receiver, ?escalation=<policy>.
      String escalation = ctx.request().getParam("escalation");
      if (escalation != null && !incidents.knowsPolicy(escalation)) {
        throw new IllegalArgumentException("escalation: no policy named '" + escalation + "' in the escalation section");
      }
      if (ctx.body().buffer() != null) {
        Utf8.decode(ctx.body().buffer().getBytes());
      }
      received = parse(ctx.body().buffer(), escalation, clock.instant());
    } catch (IllegalArgumentException e) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", e.getMessage()).encode());
      return;
    }
    // Committed with the alerts of the moment, from this and other senders and the rules, in one
    // transaction; answered only once that is on disk.
    List<CompletableFuture<Incident>> stored = new ArrayList<>();
    for (Received r : received) {
      stored.add(r.resolved() ? incidents.resolveReportedLater(r.alert(), sender + " reports it resolved")
          : incidents.openLater(r.alert()));
    }
    Future.fromCompletionStage(CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)), vertx.getOrCreateContext())
        .onSuccess(v -> ctx.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("status", "success").encode()))
        .onFailure(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          LOG.warn("Alerts from {} not stored; it will retry: {}", sender, cause.toString());
          ctx.response().setStatusCode(500).putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("error", "not stored, retry: " + cause.getMessage()).encode());
        });
  }

  /** The whole payload checked before anything is stored, so a refusal never leaves half a batch in. */
  private List<Received> parse(Buffer body, String escalation, Instant now) {
    Object decoded;
    try {
      decoded = body == null ? null : Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("body: not JSON: " + e.getMessage(), e);
    }
    if (!(decoded instanceof JsonObject payload)) {
      throw new IllegalArgumentException("body: not a JSON object");
    }
    String problem = versionProblem.apply(payload);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (!(payload.getValue("alerts") instanceof JsonArray alerts)) {
      throw new IllegalArgumentException("alerts: missing or not a list");
    }
    List<Received> received = new ArrayList<>();
    for (int i = 0; i < alerts.size(); i++) {
      String field = "alerts[" + i + "]";
      if (!(alerts.getValue(i) instanceof JsonObject alert)) {
        throw new IllegalArgumentException(field + ": not an object");
      }
      received.add(alert(alert, field, escalation, now));
    }
    return received;
  }

  private Received alert(JsonObject json, String field, String escalation, Instant now) {
    Map<String, String> labels = strings(json, "labels", field);
    if (labels.isEmpty()) {
      throw new IllegalArgumentException(field + ".labels: an alert needs labels");
    }
    if (new JsonObject(new HashMap<>(labels)).encode().length() > 4000) {
      throw new IllegalArgumentException(field + ".labels: longer than the 4000 characters kept");
    }
    Map<String, String> annotations = strings(json, "annotations", field);
    Instant startsAt = time(json, "startsAt", field);
    Instant endsAt = time(json, "endsAt", field);
    if (json.containsKey("status") && !(json.getValue("status") instanceof String)) {
      throw new IllegalArgumentException(field + ".status: not a string");
    }
    String alertname = labels.getOrDefault("alertname", sender);
    String summary = annotations.getOrDefault("summary",
        annotations.getOrDefault("description", alertname + " (from " + sender + ")"));
    // runbook_url: the annotation Prometheus rule authors use for a runbook's link.
    String runbookUrl = annotations.get("runbook_url");
    Handling handling = new Handling(escalation,
        runbookUrl != null && (runbookUrl.startsWith("https://") || runbookUrl.startsWith("http://")) ? runbookUrl : null,
        List.of());
    Alert alert = new Alert(alertname.length() > 200 ? alertname.substring(0, 200) : alertname,
        Labels.fromMap(labels), summary, Double.NaN, startsAt == null || startsAt.isAfter(now) ? now : startsAt,
        handling);
    boolean ended = endsAt != null && endsAt.isAfter(ZERO_TIME) && !endsAt.isAfter(now);
    return new Received(alert, "resolved".equals(json.getValue("status")) || ended);
  }

  private static Map<String, String> strings(JsonObject json, String key, String field) {
    Object value = json.getValue(key);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException(field + "." + key + ": not an object");
    }
    Map<String, String> strings = new HashMap<>();
    for (Map.Entry<String, Object> e : object) {
      if (!(e.getValue() instanceof String s)) {
        throw new IllegalArgumentException(field + "." + key + "." + e.getKey() + ": not a string");
      }
      strings.put(e.getKey(), s);
    }
    return strings;
  }

  private static Instant time(JsonObject json, String key, String field) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse((String) value).toInstant();
    } catch (ClassCastException | DateTimeParseException e) {
      throw new IllegalArgumentException(field + "." + key + ": not an RFC 3339 time: " + value, e);
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private record Received(Alert alert, boolean resolved) {}
}
