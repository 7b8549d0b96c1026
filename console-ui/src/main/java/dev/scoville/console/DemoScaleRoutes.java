package dev.scoville.console;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's stand-in for an autoscaler, so the demo catalog's scale-out action has somewhere on
 * loopback to call: {@code POST /demo/scale} with {@code {"service": …, "replicas": n}} is logged
 * and accepted. The simulated shop does not change with it.
 */
final class DemoScaleRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(DemoScaleRoutes.class);

  private DemoScaleRoutes() {}

  static void mount(Router router) {
    router.post("/demo/scale").handler(BodyHandler.create(false).setBodyLimit(4096));
    router.post("/demo/scale").handler(ctx -> {
      JsonObject request;
      try {
        request = ctx.body().asJsonObject();
      } catch (RuntimeException e) {
        request = null;
      }
      if (request == null || request.getValue("replicas") == null) {
        ctx.response().setStatusCode(400).end("{\"error\":\"send {\\\"service\\\": …, \\\"replicas\\\": n}\"}");
        return;
      }
      LOG.info("Demo autoscaler: {} to {} replicas", request.getValue("service"), request.getValue("replicas"));
      ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("service", request.getValue("service"))
              .put("replicas", request.getValue("replicas")).put("status", "accepted").encode());
    });
  }
}
