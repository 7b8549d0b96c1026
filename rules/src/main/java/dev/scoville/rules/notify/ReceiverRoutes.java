package dev.scoville.rules.notify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/receivers}: each receiver that failed since its last success or has a fallback
 * route, with its state ({@code ok}, {@code failing}, {@code fallback}), since when it fails, its
 * last error and the fallback paging for it. An in-memory snapshot: answered on the event loop.
 */
public final class ReceiverRoutes {
  private final Supplier<List<ReceiverStatus>> receivers;

  public ReceiverRoutes(Supplier<List<ReceiverStatus>> receivers) {
    this.receivers = receivers;
  }

  public void mount(Router router) {
    router.get("/api/receivers").handler(ctx -> {
      JsonArray array = new JsonArray();
      for (ReceiverStatus r : receivers.get()) {
        array.add(new JsonObject().put("receiver", r.receiver()).put("state", r.state().name().toLowerCase())
            .put("failingSince", r.failingSince() == null ? null : r.failingSince().toString())
            .put("lastError", r.lastError()).put("fallback", r.fallback()));
      }
      ctx.response().putHeader("Content-Type", "application/json").end(array.encode());
    });
  }
}
