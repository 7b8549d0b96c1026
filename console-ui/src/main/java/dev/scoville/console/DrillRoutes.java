package dev.scoville.console;

import dev.scoville.core.PrometheusDuration;
import dev.scoville.core.Utf8;
import dev.scoville.reports.drills.DrillComparison;
import dev.scoville.reports.drills.DrillException;
import dev.scoville.reports.drills.DrillReport;
import dev.scoville.reports.drills.DrillService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * Drills over the API, behind the console's sign-in (mounted after {@link ApiRoutes}): {@code GET
 * /api/drills/scenarios}, {@code GET /api/drills}, {@code POST /api/drills} with {@code
 * {"scenario": …, "speed": …}} (commanders only), {@code GET /api/drills/{id}}, {@code GET
 * /api/drills/{id}/compare} and {@code POST /api/drills/{id}/stop}.
 */
final class DrillRoutes {
  private final Vertx vertx;
  private final DrillService drills;

  DrillRoutes(Vertx vertx, DrillService drills) {
    this.vertx = vertx;
    this.drills = drills;
  }

  void mount(Router router) {
    router.get("/api/drills/scenarios").handler(ctx -> answer(ctx, 200, () -> new JsonArray(drills.scenarios().stream()
        .map(s -> new JsonObject().put("name", s.name()).put("description", s.description())
            .put("length", text(s.length()))).toList())));
    router.get("/api/drills").handler(ctx -> answer(ctx, 200,
        () -> new JsonArray(drills.recent(100).stream().map(DrillRoutes::toJson).toList())));
    router.post("/api/drills").handler(BodyHandler.create().setBodyLimit(16 * 1024)).handler(this::start);
    router.get("/api/drills/:id").handler(ctx -> withId(ctx, id -> answer(ctx, 200,
        () -> drills.report(id).map(DrillRoutes::toJson).orElseThrow(() -> missing(id)))));
    router.get("/api/drills/:id/compare").handler(ctx -> withId(ctx, id -> answer(ctx, 200,
        () -> drills.compare(id).map(DrillRoutes::toJson).orElseThrow(() -> missing(id)))));
    router.post("/api/drills/:id/stop").handler(ctx -> withId(ctx, id -> answer(ctx, 200,
        () -> toJson(drills.stop(id, person(ctx).actor())))));
  }

  private void start(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().buffer() == null ? new JsonObject() : new JsonObject(Utf8.decode(ctx.body().buffer().getBytes()));
    } catch (RuntimeException e) {
      json(ctx, 400, error("body: not a JSON object: " + e.getMessage()));
      return;
    }
    if (!(body.getValue("scenario") instanceof String scenario)) {
      json(ctx, 400, error("scenario: a string naming the scenario (GET /api/drills/scenarios lists them)"));
      return;
    }
    Object speed = body.getValue("speed");
    if (speed != null && !(speed instanceof Number)) {
      json(ctx, 400, error("speed: a number from 1 to 3600"));
      return;
    }
    Users.Person person = person(ctx);
    answer(ctx, 201, () -> toJson(drills.start(scenario, speed == null ? null : ((Number) speed).doubleValue(),
        person.actor())));
  }

  private static Users.Person person(RoutingContext ctx) {
    return ctx.get("person");
  }

  /** Runs {@code work} on a worker and answers with its JSON, or with the refusal's status. */
  private void answer(RoutingContext ctx, int status, Callable<Object> work) {
    vertx.executeBlocking(work, false).onComplete(done -> {
      if (done.succeeded()) {
        json(ctx, status, done.result() instanceof JsonArray a ? a.encode() : ((JsonObject) done.result()).encode());
      } else if (done.cause() instanceof DrillException refused) {
        int code = switch (refused.refusal()) {
          case NOT_A_COMMANDER -> 403;
          case CONFLICT -> 409;
          case SHOP -> 502;
          case BAD_REQUEST -> 400;
        };
        json(ctx, code, error(refused.getMessage()));
      } else if (done.cause() instanceof NoSuchDrill missing) {
        json(ctx, 404, error(missing.getMessage()));
      } else {
        ctx.fail(done.cause());
      }
    });
  }

  private interface IdHandler {
    void handle(long id);
  }

  private static void withId(RoutingContext ctx, IdHandler handler) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      json(ctx, 400, error("drill id must be a number"));
      return;
    }
    handler.handle(id);
  }

  private static final class NoSuchDrill extends RuntimeException {
    NoSuchDrill(long id) {
      super("no drill " + id);
    }
  }

  private static NoSuchDrill missing(long id) {
    return new NoSuchDrill(id);
  }

  static JsonObject toJson(DrillReport d) {
    JsonObject times = new JsonObject();
    for (DrillReport.Result r : d.results()) {
      times.put(r.measure(), new JsonObject().put("measured", r.measured().map(DrillRoutes::text).orElse(null))
          .put("seconds", r.measured().map(m -> m.toMillis() / 1000.0).orElse(null))
          .put("target", text(r.target())).put("met", r.met()));
    }
    return new JsonObject().put("id", d.id()).put("scenario", d.scenario()).put("speed", d.speed())
        .put("startedBy", d.startedBy()).put("startedAt", text(d.startedAt()))
        .put("scenarioEndsAt", text(d.scenarioEndsAt())).put("state", d.state().name().toLowerCase())
        .put("finishedAt", text(d.finishedAt())).put("outcome", d.outcome()).put("times", times)
        .put("score", d.score()).put("incidents", new JsonArray(d.incidents()))
        .put("runbooks", new JsonArray(d.runbooks())).put("runbookSteps", new JsonArray(d.steps()))
        .put("actions", new JsonArray(d.actions()));
  }

  private static JsonObject toJson(DrillComparison c) {
    JsonObject change = new JsonObject();
    for (String measure : new String[] {"detect", "acknowledge", "mitigate", "recover"}) {
      change.put(measure, c.change(measure).map(d -> d.toMillis() / 1000.0).orElse(null));
    }
    return new JsonObject().put("drill", toJson(c.drill()))
        .put("runs", new JsonArray(c.rows().stream().map(r -> new JsonObject().put("id", r.id())
            .put("startedAt", r.startedAt()).put("state", r.state()).put("detect", r.detect())
            .put("acknowledge", r.acknowledge()).put("mitigate", r.mitigate()).put("recover", r.recover())
            .put("score", r.score()).put("runbookSteps", new JsonArray(r.steps()))).toList()))
        .put("changeSeconds", change).put("scoreChange", c.scoreChange().orElse(null))
        .put("runbookStepsAdded", new JsonArray(c.stepsAdded()))
        .put("runbookStepsLeftOut", new JsonArray(c.stepsLeftOut()));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static String text(Duration duration) {
    return PrometheusDuration.format(duration);
  }

  private static String error(String message) {
    return new JsonObject().put("error", message).encode();
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
