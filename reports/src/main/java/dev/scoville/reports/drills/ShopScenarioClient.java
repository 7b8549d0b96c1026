package dev.scoville.reports.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the shop to play a scenario, over its drill endpoint: {@code POST <shop>scenarios/<name>
 * ?speed=<n>} answers 202 with {@code startedAt} and {@code endsAt}. Blocking: call it off the
 * event loop.
 */
public final class ShopScenarioClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI shop;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public ShopScenarioClient(URI shop) {
    this.shop = shop.toString().endsWith("/") ? shop : URI.create(shop + "/");
  }

  /** A scenario the shop knows. */
  public record Scenario(String name, String description, Duration length) {}

  /** What the shop answered: the scenario plays from {@code startedAt} to {@code endsAt}. */
  public record Started(String scenario, Instant startedAt, Instant endsAt) {}

  public List<Scenario> scenarios() {
    JsonNode answer = send("GET", shop.resolve("scenarios"), 200);
    List<Scenario> scenarios = new ArrayList<>();
    answer.path("scenarios").forEach(s -> scenarios.add(new Scenario(s.path("name").asText(),
        s.path("description").asText(), Duration.parse(s.path("length").asText("PT0S")))));
    return scenarios;
  }

  public Started start(String scenario, double speed) {
    URI uri = shop.resolve("scenarios/" + URLEncoder.encode(scenario, StandardCharsets.UTF_8).replace("+", "%20")
        + "?speed=" + speed);
    JsonNode answer = send("POST", uri, 202);
    return new Started(answer.path("scenario").asText(), Instant.parse(answer.path("startedAt").asText()),
        Instant.parse(answer.path("endsAt").asText()));
  }

  /** Stops whatever scenario plays. */
  public void stop() {
    send("DELETE", shop.resolve("scenarios/current"), 200);
  }

  private JsonNode send(String method, URI uri, int expected) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
      if (response.statusCode() != expected) {
        throw new DrillException(DrillException.Refusal.SHOP, "the shop at " + uri + " answered "
            + response.statusCode() + ": "
            + body.path("error").asText(response.body()));
      }
      return body;
    } catch (IOException e) {
      throw new DrillException(DrillException.Refusal.SHOP, "the shop at " + uri + " cannot be reached: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DrillException(DrillException.Refusal.SHOP, "interrupted while asking the shop at " + uri);
    }
  }
}
