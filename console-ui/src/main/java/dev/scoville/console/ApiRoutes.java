package dev.scoville.console;

import dev.scoville.collector.TargetHealth;
import dev.scoville.core.Utf8;
import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentService;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The HTTP API on Vert.x: Scoville's own {@code /metrics}, incidents and targets. Handlers only
 * map HTTP to a service call and back; JDBC runs on worker threads, unordered, so that no request
 * waits behind another's.
 */
final class ApiRoutes {
  private final Vertx vertx;
  private final IncidentService incidents;
  private final Supplier<List<TargetHealth>> targets;
  private final SignIn signIn;
  private final Supplier<List<String>> unreadiness;

  ApiRoutes(Vertx vertx, IncidentService incidents, Supplier<List<TargetHealth>> targets, SignIn signIn,
      Supplier<List<String>> unreadiness) {
    this.vertx = vertx;
    this.unreadiness = unreadiness;
    this.incidents = incidents;
    this.targets = targets;
    this.signIn = signIn;
  }

  void mount(Router router) {
    router.get("/metrics").handler(this::metrics);
    // Alive: the process answers. Ready: it can take and page alerts (database, rules, outbox).
    router.get("/healthz").handler(ctx -> ctx.response().end("ok\n"));
    router.get("/readyz").handler(this::ready);
    router.route("/api/*").handler(this::requireUser);
    router.route("/-/reload").handler(this::requireUser);
    router.get("/api/incidents").handler(this::listIncidents);
    router.post("/api/incidents/:id/acknowledge").handler(this::acknowledge);
    router.post("/api/incidents/:id/resolve").handler(BodyHandler.create().setBodyLimit(64 * 1024))
        .handler(this::resolve);
    router.get("/api/targets").handler(this::listTargets);
  }

  private void metrics(RoutingContext ctx) {
    StringWriter out = new StringWriter();
    try {
      TextFormat.write004(out, CollectorRegistry.defaultRegistry.metricFamilySamples());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.response().putHeader("Content-Type", TextFormat.CONTENT_TYPE_004).end(out.toString());
  }

  private void ready(RoutingContext ctx) {
    vertx.executeBlocking(unreadiness::get, false).onComplete(result -> {
      List<String> reasons = result.succeeded() ? result.result() : List.of("readiness check failed: " + result.cause());
      ctx.response().setStatusCode(reasons.isEmpty() ? 200 : 503).putHeader("Content-Type", "text/plain")
          .end(reasons.isEmpty() ? "ready\n" : String.join("\n", reasons) + "\n");
    });
  }

  /**
   * HTTP Basic with the console's users, throttled as the login form is; the person is kept on
   * the context for the handlers. Off the event loop: a bcrypt check takes a quarter second.
   */
  private void requireUser(RoutingContext ctx) {
    Optional<String[]> credentials = basicCredentials(ctx.request().getHeader("Authorization"));
    if (credentials.isEmpty()) {
      unauthorized(ctx);
      return;
    }
    String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    // The body, if any, waits for the route's BodyHandler: nothing of it is read before sign-in.
    if (!ctx.request().isEnded()) {
      ctx.request().pause();
    }
    vertx.executeBlocking(() -> signIn.attempt(credentials.get()[0], credentials.get()[1], address, SignIn.Via.API), false)
        .onComplete(done -> {
          if (!ctx.request().isEnded()) {
            ctx.request().resume();
          }
          if (done.failed()) {
            ctx.fail(done.cause());
          } else if (done.result() instanceof SignIn.SignedIn signedIn) {
            ctx.put("person", signedIn.person());
            ctx.next();
          } else if (done.result() instanceof SignIn.Throttled throttled) {
            ctx.response().setStatusCode(429).putHeader("Retry-After", Long.toString(throttled.seconds()))
                .putHeader("Content-Type", "application/json")
                .end(error("too many failed sign-ins: try again in " + throttled.seconds() + " s"));
          } else {
            unauthorized(ctx);
          }
        });
  }

  /** The name of whoever {@link #requireUser} let in: what other modules' routes record as the actor. */
  static String signedIn(RoutingContext ctx) {
    Users.Person person = ctx.get("person");
    return person.name();
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"scoville\"")
        .putHeader("Content-Type", "application/json").end(error("sign in with a console user (HTTP Basic)"));
  }

  private void listIncidents(RoutingContext ctx) {
    vertx.executeBlocking(() -> incidents.recent(200), false)
        .onSuccess(list -> json(ctx, 200, new JsonArray(list.stream().map(ApiRoutes::toJson).toList()).encode()))
        .onFailure(ctx::fail);
  }

  private void acknowledge(RoutingContext ctx) {
    Long id = incidentId(ctx);
    if (id == null) {
      return;
    }
    Users.Person person = ctx.get("person");
    vertx.executeBlocking(() -> incidents.find(id).map(i -> incidents.acknowledge(id, person.name())), false)
        .onSuccess(incident -> {
          if (incident.isEmpty()) {
            json(ctx, 404, error("no incident " + id));
          } else {
            json(ctx, 200, toJson(incident.get()).encode());
          }
        })
        .onFailure(ctx::fail);
  }

  /** {@code {"reason": "..."}}: the signed-in person resolves the incident by hand, saying why. */
  private void resolve(RoutingContext ctx) {
    Long id = incidentId(ctx);
    if (id == null) {
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().buffer() == null ? null : new JsonObject(Utf8.decode(ctx.body().buffer().getBytes()));
    } catch (IllegalArgumentException notUtf8) {
      json(ctx, 400, error(notUtf8.getMessage()));
      return;
    } catch (RuntimeException e) {
      json(ctx, 400, error("body: not a JSON object: " + e.getMessage()));
      return;
    }
    if (body == null || !(body.getValue("reason") instanceof String reason) || reason.isBlank()) {
      json(ctx, 400, error("reason: a non-empty string saying why the incident is resolved by hand"));
      return;
    }
    Users.Person person = ctx.get("person");
    vertx.executeBlocking(() -> incidents.find(id).map(i -> incidents.resolveByHand(id, person.name(), reason)), false)
        .onSuccess(incident -> {
          if (incident.isEmpty()) {
            json(ctx, 404, error("no incident " + id));
          } else {
            json(ctx, 200, toJson(incident.get()).encode());
          }
        })
        .onFailure(ctx::fail);
  }

  /** The {@code :id} path parameter, or null once a 400 has been answered. */
  private static Long incidentId(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      json(ctx, 400, error("incident id must be a number"));
      return null;
    }
  }

  private void listTargets(RoutingContext ctx) {
    JsonArray array = new JsonArray();
    for (TargetHealth t : targets.get()) {
      array.add(new JsonObject().put("job", t.job()).put("url", t.url().toString()).put("up", t.up())
          .put("lastScrape", text(t.lastScrape())).put("lastDurationMillis", t.lastDurationMillis())
          .put("lastSamples", t.lastSamples()).put("lastError", t.lastError()));
    }
    json(ctx, 200, array.encode());
  }

  static JsonObject toJson(Incident i) {
    return new JsonObject().put("id", i.id()).put("dedupKey", i.dedupKey()).put("rule", i.rule())
        .put("labels", i.labels()).put("summary", i.summary()).put("severity", i.severity().name().toLowerCase())
        .put("state", i.state().name().toLowerCase()).put("openedAt", text(i.openedAt()))
        .put("acknowledgedAt", text(i.acknowledgedAt())).put("acknowledgedBy", i.acknowledgedBy())
        .put("resolvedAt", text(i.resolvedAt()));
  }

  private static Optional<String[]> basicCredentials(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? Optional.empty()
          : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static String error(String message) {
    return new JsonObject().put("error", message).encode();
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
