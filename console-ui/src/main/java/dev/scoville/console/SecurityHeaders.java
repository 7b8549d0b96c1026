package dev.scoville.console;

import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every console and API response carries: nobody frames the war room (a framed
 * console could be clicked on without its user knowing), no browser guesses a content type, and
 * no address inside the console is told to another site.
 */
record SecurityHeaders(Map<String, String> values) {
  static SecurityHeaders of(ConsoleConfig.Server server) {
    Map<String, String> values = new LinkedHashMap<>();
    // Only frame-ancestors: Vaadin's bootstrap needs inline and eval'd script, so a script-src
    // that allowed it would promise little.
    values.put("Content-Security-Policy", "frame-ancestors "
        + (server.frameAncestors().isEmpty() ? "'none'" : String.join(" ", server.frameAncestors())));
    if (server.frameAncestors().isEmpty()) {
      values.put("X-Frame-Options", "DENY");
    }
    values.put("X-Content-Type-Options", "nosniff");
    values.put("Referrer-Policy", "same-origin");
    if (server.tls() != null) {
      values.put("Strict-Transport-Security", "max-age=31536000");
    }
    return new SecurityHeaders(Map.copyOf(values));
  }

  /** First on the router, so that every route, a 404 included, answers with them. */
  void mount(Router router) {
    router.route().order(-1000).handler(ctx -> {
      values.forEach(ctx.response()::putHeader);
      ctx.next();
    });
  }
}
