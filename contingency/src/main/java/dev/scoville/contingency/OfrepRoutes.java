package dev.scoville.contingency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoville.core.Utf8;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Serves the kill switches to the shop over the OpenFeature Remote Evaluation Protocol, so any
 * OpenFeature SDK with the OFREP provider reads them. Handlers only read the in-memory snapshot:
 * safe on an event loop.
 */
public final class OfrepRoutes {
  private static final String PREFIX = "/ofrep/v1/evaluate/flags";

  private final KillSwitches killSwitches;
  private final byte[] expectedAuthorization;

  public OfrepRoutes(KillSwitches killSwitches, String bearerToken) {
    if (bearerToken == null || bearerToken.isBlank()) {
      throw new IllegalArgumentException("OFREP needs a bearer token");
    }
    this.killSwitches = killSwitches;
    this.expectedAuthorization = ("Bearer " + bearerToken).getBytes(StandardCharsets.UTF_8);
  }

  /** Adds the single and bulk evaluation endpoints to {@code router}. */
  public void mount(Router router) {
    router.post(PREFIX + "*").handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    router.post(PREFIX).handler(this::bulk);
    router.post(PREFIX + "/:key").handler(this::single);
  }

  private void single(RoutingContext ctx) {
    if (!authorized(ctx)) {
      return;
    }
    String key = ctx.pathParam("key");
    String contextProblem = contextProblem(ctx);
    if (contextProblem != null) {
      ObjectNode failure = KillSwitches.JSON.createObjectNode();
      failure.put("key", key);
      failure.put(
          "errorCode", contextProblem.startsWith("PARSE") ? "PARSE_ERROR" : "INVALID_CONTEXT");
      failure.put("errorDetails", contextProblem.substring(contextProblem.indexOf(':') + 2));
      json(ctx, 400, failure.toString());
      return;
    }
    KillSwitches.Flag flag = killSwitches.snapshot().flags.get(key);
    if (flag == null) {
      ObjectNode notFound = KillSwitches.JSON.createObjectNode();
      notFound.put("key", key);
      notFound.put("errorCode", "FLAG_NOT_FOUND");
      notFound.put("errorDetails", "no kill switch serves flag " + key);
      json(ctx, 404, notFound.toString());
      return;
    }
    json(ctx, 200, flag.evaluation().toString());
  }

  private void bulk(RoutingContext ctx) {
    if (!authorized(ctx)) {
      return;
    }
    String contextProblem = contextProblem(ctx);
    if (contextProblem != null) {
      ObjectNode failure = KillSwitches.JSON.createObjectNode();
      failure.put(
          "errorCode", contextProblem.startsWith("PARSE") ? "PARSE_ERROR" : "INVALID_CONTEXT");
      failure.put("errorDetails", contextProblem.substring(contextProblem.indexOf(':') + 2));
      json(ctx, 400, failure.toString());
      return;
    }
    KillSwitches.Snapshot snapshot = killSwitches.snapshot();
    ctx.response().putHeader(HttpHeaders.ETAG, snapshot.etag);
    if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), snapshot.etag)) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    json(ctx, 200, snapshot.bulkBody);
  }

  private boolean authorized(RoutingContext ctx) {
    String given = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (given != null
        && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expectedAuthorization)) {
      return true;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    json(ctx, 401, "{\"errorDetails\":\"a valid bearer token is required\"}");
    return false;
  }

  /** Null when the body is absent or holds an object {@code context}; else "CODE: why". */
  private static String contextProblem(RoutingContext ctx) {
    if (ctx.body().buffer() == null) {
      return null;
    }
    String body;
    try {
      body = Utf8.decode(ctx.body().buffer().getBytes());
    } catch (IllegalArgumentException e) {
      return "PARSE_ERROR: the request body is not valid UTF-8";
    }
    if (body.isBlank()) {
      return null;
    }
    JsonNode request;
    try {
      request = KillSwitches.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return "PARSE_ERROR: the request body is not JSON";
    }
    if (!request.isObject()) {
      return "PARSE_ERROR: the request body must be a JSON object";
    }
    JsonNode context = request.get("context");
    if (context != null && !context.isNull() && !context.isObject()) {
      return "INVALID_CONTEXT: context must be a JSON object";
    }
    return null;
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals(etag) || tag.equals("*")) {
        return true;
      }
    }
    return false;
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body);
  }

}
