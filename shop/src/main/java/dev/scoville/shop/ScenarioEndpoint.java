package dev.scoville.shop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The shop's drill endpoint, for Scoville's drill runner (a test shop would offer the same):
 * <ul>
 *   <li>{@code GET /scenarios}: the scenarios it knows and the one playing;
 *   <li>{@code POST /scenarios/<name>?speed=<n>}: plays one from now, {@code n} times faster than
 *       written (default 1); 202 with its start and end, 404 for an unknown name, 409 while
 *       another plays, 400 for a bad speed;
 *   <li>{@code DELETE /scenarios/current}: stops the one playing.
 * </ul>
 */
final class ScenarioEndpoint {
  static final String PATH = "/scenarios";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ShopSimulator simulator;

  ScenarioEndpoint(ShopSimulator simulator) {
    this.simulator = simulator;
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String name = path.length() > PATH.length() + 1 ? path.substring(PATH.length() + 1) : "";
      switch (exchange.getRequestMethod()) {
        case "GET" -> respond(exchange, 200, list());
        case "POST" -> start(exchange, name);
        case "DELETE" -> {
          ObjectNode answer = JSON.createObjectNode();
          simulator.stopScenario().ifPresent(run -> answer.set("stopped", describe(run)));
          respond(exchange, 200, answer);
        }
        default -> respond(exchange, 405, error("use GET, POST or DELETE"));
      }
    }
  }

  private void start(HttpExchange exchange, String name) throws IOException {
    DrillScenario scenario = DrillScenario.named(name).orElse(null);
    if (scenario == null) {
      respond(exchange, 404, error("no scenario '" + name + "'; known: "
          + String.join(", ", DrillScenario.catalog().keySet())));
      return;
    }
    double speed;
    try {
      speed = Double.parseDouble(query(exchange, "speed", "1"));
    } catch (NumberFormatException e) {
      respond(exchange, 400, error("speed: not a number"));
      return;
    }
    try {
      respond(exchange, 202, describe(simulator.startScenario(scenario, speed)));
    } catch (IllegalArgumentException e) {
      respond(exchange, 400, error(e.getMessage()));
    } catch (IllegalStateException e) {
      respond(exchange, 409, error(e.getMessage()));
    }
  }

  private ObjectNode list() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode scenarios = root.putArray("scenarios");
    DrillScenario.catalog().values().forEach(s -> scenarios.addObject().put("name", s.name())
        .put("description", s.description()).put("length", s.length().toString()));
    simulator.currentScenario().ifPresent(run -> root.set("playing", describe(run)));
    return root;
  }

  private static ObjectNode describe(ScenarioRun run) {
    return JSON.createObjectNode().put("scenario", run.scenario().name()).put("speed", run.speed())
        .put("startedAt", run.startedAt().toString()).put("endsAt", run.endsAt().toString());
  }

  private static String query(HttpExchange exchange, String key, String otherwise) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(key)) {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
    }
    return otherwise;
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
