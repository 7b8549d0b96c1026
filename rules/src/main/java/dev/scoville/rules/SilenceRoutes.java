package dev.scoville.rules;

import dev.scoville.core.Utf8;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Silences over HTTP in Alertmanager's v2 shapes: {@code GET /api/silences} lists those not yet
 * ended, {@code POST /api/silences} creates one from {@code {matchers:[{name, value, isRegex,
 * isEqual}], startsAt, endsAt, createdBy, comment}} and answers {@code {silenceID}}, {@code DELETE
 * /api/silences/{id}} expires one. A bad silence gets 400 naming the field. The database work runs
 * on worker threads. Who created or expired a silence is the signed-in user, never what a body
 * says: a {@code createdBy} that names someone else is kept in the comment, for display only.
 */
public final class SilenceRoutes {
  public static final String PATH = "/api/silences";

  private final Vertx vertx;
  private final SilenceService silences;
  private final Clock clock;
  private final Function<RoutingContext, String> signedIn;

  /** {@code signedIn} names the user the API's sign-in put on the request. */
  public SilenceRoutes(Vertx vertx, SilenceService silences, Clock clock, Function<RoutingContext, String> signedIn) {
    this.vertx = vertx;
    this.silences = silences;
    this.clock = clock;
    this.signedIn = signedIn;
  }

  public void mount(Router router) {
    router.get(PATH).handler(this::list);
    router.post(PATH).handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::create);
    router.delete(PATH + "/:id").handler(this::expire);
  }

  private void list(RoutingContext ctx) {
    vertx.executeBlocking(silences::current, false).onSuccess(current -> {
      Instant now = clock.instant();
      JsonArray array = new JsonArray();
      current.forEach(s -> array.add(json(s, now)));
      json(ctx, 200, array.encode());
    }).onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    List<Silence.Matcher> matchers;
    Instant startsAt;
    Instant endsAt;
    String createdBy;
    String comment;
    try {
      JsonObject body = ctx.body().buffer() == null ? null : new JsonObject(Utf8.decode(ctx.body().buffer().getBytes()));
      if (body == null) {
        throw new IllegalArgumentException("body: a JSON object is needed");
      }
      matchers = matchers(body.getValue("matchers"));
      startsAt = time(body, "startsAt");
      endsAt = time(body, "endsAt");
      String claimed = string(body, "createdBy");
      createdBy = signedIn.apply(ctx);
      String written = string(body, "comment");
      comment = claimed == null || claimed.equals(createdBy) || written == null
          ? written : written + " (createdBy in the request: " + claimed + ")";
    } catch (DecodeException | ClassCastException e) {
      badRequest(ctx, "body: not a JSON object: " + e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      badRequest(ctx, e.getMessage());
      return;
    }
    vertx.executeBlocking(() -> silences.create(matchers, startsAt, endsAt, createdBy, comment), false)
        .onSuccess(s -> json(ctx, 200, new JsonObject().put("silenceID", s.id()).encode()))
        .onFailure(e -> {
          if (e instanceof IllegalArgumentException) {
            badRequest(ctx, e.getMessage());
          } else {
            ctx.fail(e);
          }
        });
  }

  private void expire(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    vertx.executeBlocking(() -> silences.expire(id, signedIn.apply(ctx)), false).onSuccess(expired -> {
      if (expired.isEmpty()) {
        json(ctx, 404, new JsonObject().put("error", "no silence " + id).encode());
      } else {
        json(ctx, 200, json(expired.get(), clock.instant()).encode());
      }
    }).onFailure(ctx::fail);
  }

  private static List<Silence.Matcher> matchers(Object value) {
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException("matchers: missing or not a list");
    }
    List<Silence.Matcher> matchers = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String field = "matchers[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject m)) {
        throw new IllegalArgumentException(field + ": not an object");
      }
      matchers.add(new Silence.Matcher(string(m, "name", field), string(m, "value", field),
          bool(m, "isRegex", false, field), bool(m, "isEqual", true, field)));
    }
    return matchers;
  }

  private static String string(JsonObject json, String key) {
    return string(json, key, null);
  }

  private static String string(JsonObject json, String key, String parent) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException(name(parent, key) + ": not a string");
    }
    return (String) value;
  }

  /** {@code isEqual} is optional in Alertmanager's API (true by default); so is {@code isRegex} here. */
  private static boolean bool(JsonObject json, String key, boolean absent, String parent) {
    Object value = json.getValue(key);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof Boolean b)) {
      throw new IllegalArgumentException(name(parent, key) + ": not true or false");
    }
    return b;
  }

  private static Instant time(JsonObject json, String key) {
    String text = string(json, key);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + ": not an RFC 3339 time: " + text, e);
    }
  }

  private static String name(String parent, String key) {
    return parent == null ? key : parent + "." + key;
  }

  private static JsonObject json(Silence s, Instant now) {
    JsonArray matchers = new JsonArray();
    s.matchers().forEach(m -> matchers.add(new JsonObject().put("name", m.name()).put("value", m.value())
        .put("isRegex", m.isRegex()).put("isEqual", m.isEqual())));
    return new JsonObject().put("id", s.id())
        .put("status", new JsonObject().put("state", s.state(now).name().toLowerCase()))
        .put("updatedAt", s.updatedAt().toString()).put("matchers", matchers)
        .put("startsAt", s.startsAt().toString()).put("endsAt", s.endsAt().toString())
        .put("createdBy", s.createdBy()).put("comment", s.comment());
  }

  private static void badRequest(RoutingContext ctx, String message) {
    json(ctx, 400, new JsonObject().put("error", message).encode());
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
