package dev.scoville.collector.events;

import dev.scoville.core.Utf8;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser beacon: {@code POST /api/v1/beacon} with a JSON array of events. The token comes as
 * {@code ?token=} ({@code navigator.sendBeacon} cannot set headers) or as {@code Authorization:
 * Bearer …} / {@code X-Scoville-Token}. Answers 202 with how many events were accepted and refused
 * (and why, for the first few), 401 without the right token, 413 over {@code maxBatchBytes}, 400
 * when the body is not a JSON array.
 */
public final class BeaconRoutes {
  public static final String PATH = "/api/v1/beacon";
  private static final Logger LOG = LoggerFactory.getLogger(BeaconRoutes.class);
  private static final int ERRORS_SHOWN = 10;

  private final DerivedSeries derived;
  private final EventsConfig.Beacon config;
  private final byte[] token;
  private final RejectedEvents rejected = new RejectedEvents("beacon");

  public BeaconRoutes(DerivedSeries derived, EventsConfig.Beacon config) {
    this.derived = derived;
    this.config = config;
    this.token = config.token().getBytes(StandardCharsets.UTF_8);
  }

  /** Adds the beacon's routes to {@code router} (the API router served by Vert.x's HTTP server). */
  public void mount(Router router) {
    CorsHandler cors =
        CorsHandler.create()
            .allowedMethods(Set.of(HttpMethod.POST, HttpMethod.OPTIONS))
            .allowedHeaders(Set.of("Content-Type", "Authorization", "X-Scoville-Token"))
            .maxAgeSeconds(600);
    config.allowedOrigins().forEach(cors::addOrigin);
    router.route(PATH).handler(cors);
    // The token is checked before the body is read, so strangers cannot make us buffer batches.
    router.post(PATH).handler(this::checkToken);
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(config.maxBatchBytes()));
    router.post(PATH).handler(this::accept);
    router.route(PATH).failureHandler(this::fail);
  }

  /**
   * Refusals by the CORS (403) and body (413) handlers arrive here; answering them keeps a
   * stranger's preflight out of the error log, which Vert.x would otherwise fill with its stack
   * trace.
   */
  private void fail(RoutingContext ctx) {
    int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
    if (status >= 500) {
      LOG.error("beacon request failed", ctx.failure());
    }
    if (!ctx.response().ended()) {
      String reason =
          switch (status) {
            case 403 -> "origin not allowed";
            case 413 -> "batch larger than " + config.maxBatchBytes() + " bytes";
            default -> "request failed";
          };
      ctx.response()
          .setStatusCode(status)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", reason).encode());
    }
  }

  private void checkToken(RoutingContext ctx) {
    String given = ctx.request().getParam("token");
    if (given == null) {
      given = ctx.request().getHeader("X-Scoville-Token");
    }
    String authorization = ctx.request().getHeader("Authorization");
    if (given == null
        && authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = authorization.substring(7).trim();
    }
    // Constant time, so the answer's timing does not tell how much of a guess was right.
    if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      ctx.response()
          .setStatusCode(401)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", "missing or wrong beacon token").encode());
      return;
    }
    ctx.next();
  }

  private void accept(RoutingContext ctx) {
    String from = "beacon request from " + ctx.request().remoteAddress();
    EventParser.Batch batch;
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    try {
      Utf8.decode(body);
    } catch (IllegalArgumentException e) {
      ctx.response()
          .setStatusCode(400)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", e.getMessage()).encode());
      return;
    }
    try {
      batch = new EventParser().parseArray(body);
    } catch (InvalidEventException e) {
      rejected.record(from, e);
      ctx.response()
          .setStatusCode(400)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", e.getMessage()).encode());
      return;
    }
    derived.apply(batch.events(), "beacon");
    JsonArray errors = new JsonArray();
    List<EventParser.Rejection> rejections = batch.rejections();
    for (EventParser.Rejection r : rejections) {
      rejected.record(from + " event[" + r.index() + "]", r.problem());
      if (errors.size() < ERRORS_SHOWN) {
        errors.add("event[" + r.index() + "]: " + r.problem().getMessage());
      }
    }
    ctx.response()
        .setStatusCode(202)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("accepted", batch.events().size())
                .put("rejected", rejections.size())
                .put("errors", errors)
                .encode());
  }
}
