package dev.scoville.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's feature-flag client: polls an OFREP bulk evaluation endpoint, as an OpenFeature
 * provider in polling mode does, and hands every flag's value on as text. When the flag service
 * cannot be reached the shop keeps the values it last read.
 */
public final class OfrepFlags implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OfrepFlags.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final HttpRequest request;
  private final Consumer<Map<String, String>> onFlags;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "shop-flags");
    t.setDaemon(true);
    return t;
  });
  private boolean failing;

  private OfrepFlags(URI bulkEvaluation, String bearerToken, Consumer<Map<String, String>> onFlags) {
    this.request = HttpRequest.newBuilder(bulkEvaluation)
        .header("Authorization", "Bearer " + bearerToken)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(2))
        .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"hot-sauce-shop\"}}"))
        .build();
    this.onFlags = onFlags;
  }

  /** Reads {@code bulkEvaluation} now and then every {@code every}. */
  public static OfrepFlags poll(URI bulkEvaluation, String bearerToken, Duration every,
      Consumer<Map<String, String>> onFlags) {
    OfrepFlags flags = new OfrepFlags(bulkEvaluation, bearerToken, onFlags);
    flags.poller.scheduleWithFixedDelay(flags::read, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return flags;
  }

  private void read() {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + response.statusCode());
      }
      Map<String, String> values = new HashMap<>();
      for (JsonNode flag : JSON.readTree(response.body()).path("flags")) {
        if (flag.has("value")) {
          values.put(flag.path("key").asText(), flag.path("value").asText());
        }
      }
      onFlags.accept(values);
      if (failing) {
        LOG.info("Flags from {} read again", request.uri());
        failing = false;
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // Once per outage: the shop goes on with the values it has.
      if (!failing) {
        LOG.warn("Flags from {} cannot be read, keeping the last ones: {}", request.uri(), e.toString());
        failing = true;
      }
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
