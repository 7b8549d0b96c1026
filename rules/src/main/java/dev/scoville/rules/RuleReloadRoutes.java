package dev.scoville.rules;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * Prometheus's {@code POST /-/reload} for the rules: 200 once the new rules are in place, 500 with
 * the reasons, one per line, when the previous rules stay. Reading files runs on a worker thread.
 */
public final class RuleReloadRoutes {
  private final Vertx vertx;
  private final Rules rules;

  public RuleReloadRoutes(Vertx vertx, Rules rules) {
    this.vertx = vertx;
    this.rules = rules;
  }

  public void mount(Router router) {
    router.post("/-/reload").handler(ctx -> vertx.executeBlocking(rules::reload)
        .onSuccess(problems -> answer(ctx, problems))
        .onFailure(ctx::fail));
  }

  private static void answer(io.vertx.ext.web.RoutingContext ctx, List<String> problems) {
    if (problems.isEmpty()) {
      ctx.response().end();
      return;
    }
    ctx.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("failed to reload rules, the previous ones stay:\n" + String.join("\n", problems) + "\n");
  }
}
