package dev.scoville.rules;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's interactivity endpoint, {@code POST /slack/interactions}: the buttons of incident
 * messages. Refuses (401) anything not signed with the signing secret within the replay window,
 * answers Slack at once (it waits 3 seconds at most) and acknowledges on a worker thread; the
 * outbox then edits the message.
 */
public final class SlackInteractions {
  public static final String PATH = "/slack/interactions";
  private static final Logger LOG = LoggerFactory.getLogger(SlackInteractions.class);
  private static final long MAX_BODY = 64 * 1024;

  private final Vertx vertx;
  private final IncidentService incidents;
  private final SlackSignature signature;

  public SlackInteractions(Vertx vertx, IncidentService incidents, SlackConfig slack, Clock clock) {
    this.vertx = vertx;
    this.incidents = incidents;
    this.signature = new SlackSignature(slack.signingSecret(), clock);
  }

  public void mount(Router router) {
    router.post(PATH).handler(BodyHandler.create().setBodyLimit(MAX_BODY)).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    byte[] raw = body == null ? new byte[0] : body.getBytes();
    if (!signature.verify(ctx.request().getHeader("X-Slack-Request-Timestamp"),
        ctx.request().getHeader("X-Slack-Signature"), raw)) {
      ctx.response().setStatusCode(401).end();
      return;
    }
    JsonObject payload;
    try {
      payload = payload(new String(raw, StandardCharsets.UTF_8));
    } catch (DecodeException | IllegalArgumentException e) {
      ctx.response().setStatusCode(400).end();
      return;
    }
    ctx.response().setStatusCode(200).end();
    vertx.executeBlocking(() -> {
      act(payload);
      return null;
    }, false).onFailure(e -> LOG.warn("Slack interaction failed: {}", e.toString()));
  }

  /** Runs the buttons pressed; those with a URL (runbook, action) only open a page in Slack. */
  private void act(JsonObject payload) {
    JsonArray actions = payload.getJsonArray("actions", new JsonArray());
    for (int i = 0; i < actions.size(); i++) {
      String actionId = actions.getJsonObject(i).getString("action_id", "");
      if (actionId.startsWith(IncidentMessage.ACKNOWLEDGE + ":")) {
        long incidentId = Long.parseLong(actionId.substring(IncidentMessage.ACKNOWLEDGE.length() + 1));
        incidents.acknowledge(incidentId, user(payload.getJsonObject("user", new JsonObject())));
      }
    }
  }

  /** Who pressed, as the console shows Slack users. */
  private static String user(JsonObject user) {
    for (String field : new String[] {"username", "name", "id"}) {
      String value = user.getString(field);
      if (value != null && !value.isBlank()) {
        return "slack:" + value;
      }
    }
    return "slack:unknown";
  }

  /** The JSON of the {@code payload} field of Slack's form-encoded body. */
  private static JsonObject payload(String form) {
    for (String pair : form.split("&")) {
      if (pair.startsWith("payload=")) {
        return new JsonObject(URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8));
      }
    }
    throw new IllegalArgumentException("no payload field");
  }
}
