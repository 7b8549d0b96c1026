package dev.scoville.collector.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigException;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured probes on Vert.x's non-blocking HTTP client and writes what they see as
 * series: for HTTP checks {@code probe_success}, {@code probe_duration_seconds} and {@code
 * probe_http_status_code} (as the blackbox exporter names them); for Statuspage pages {@code
 * statuspage_up}, {@code statuspage_indicator} (0 none, 1 minor, 2 major, 3 critical) and one
 * {@code statuspage_component_status} series per component and status, 1 for the current one.
 */
public final class ProbeRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> COMPONENT_STATUSES =
      List.of("operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance");
  private static final Map<String, Integer> INDICATORS = Map.of("none", 0, "minor", 1, "major", 2, "critical", 3);

  private final Vertx vertx;
  private final SeriesStore store;
  private final Clock clock;
  private final ProbesConfig config;
  private final HttpClientAgent client;
  private final List<Pattern> bodyPatterns = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();

  /** Checks the probes (names, body patterns); probing begins with {@link #start()}. */
  public ProbeRunner(Vertx vertx, SeriesStore store, Clock clock, ProbesConfig config) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.config = config;
    this.client = vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(true));
    for (int i = 0; i < config.http().size(); i++) {
      ProbesConfig.Http probe = config.http().get(i);
      if (probe.name() == null || probe.url() == null) {
        throw new ConfigException("probes.http[" + i + "]: a probe needs a name and a url");
      }
      try {
        bodyPatterns.add(probe.bodyMatch() == null ? null : Pattern.compile(probe.bodyMatch()));
      } catch (PatternSyntaxException e) {
        throw new ConfigException("probes.http[" + i + "] (" + probe.name() + ").bodyMatch: " + e.getDescription(), e);
      }
    }
    for (int i = 0; i < config.statuspages().size(); i++) {
      ProbesConfig.StatusPage page = config.statuspages().get(i);
      if (page.name() == null || page.url() == null) {
        throw new ConfigException("probes.statuspages[" + i + "]: a page needs a name and a url");
      }
    }
  }

  public void start() {
    long interval = config.interval().toMillis();
    for (int i = 0; i < config.http().size(); i++) {
      int index = i;
      timers.add(vertx.setPeriodic(1 + i * 97L % interval, interval, id -> probe(index)));
    }
    for (ProbesConfig.StatusPage page : config.statuspages()) {
      timers.add(vertx.setPeriodic(1, interval, id -> check(page)));
    }
  }

  Future<Void> probe(int index) {
    ProbesConfig.Http probe = config.http().get(index);
    Pattern bodyMatch = bodyPatterns.get(index);
    long start = System.nanoTime();
    long timestamp = clock.millis();
    return get(probe.url()).transform(result -> {
      double seconds = (System.nanoTime() - start) / 1e9;
      Labels labels = Labels.of("probe", probe.name(), "url", probe.url().toString());
      List<Sample> samples = new ArrayList<>();
      boolean success = false;
      if (result.succeeded()) {
        int status = result.result().status();
        boolean statusOk = probe.expectStatus() == null ? status / 100 == 2 : status == probe.expectStatus();
        boolean bodyOk = bodyMatch == null || bodyMatch.matcher(result.result().body().toString()).find();
        success = statusOk && bodyOk;
        samples.add(sample("probe_http_status_code", labels, timestamp, status));
        if (!success) {
          LOG.info("Probe {} ({}) failed: {}", probe.name(), probe.url(),
              statusOk ? "body does not match " + probe.bodyMatch() + ": " + start(result.result().body())
                  : "status " + status);
        }
      } else {
        LOG.info("Probe {} ({}) failed: {}", probe.name(), probe.url(), result.cause().getMessage());
      }
      samples.add(sample("probe_success", labels, timestamp, success ? 1 : 0));
      samples.add(sample("probe_duration_seconds", labels, timestamp, seconds));
      store.append(samples);
      return Future.succeededFuture();
    });
  }

  Future<Void> check(ProbesConfig.StatusPage page) {
    long timestamp = clock.millis();
    return get(page.url()).transform(result -> {
      List<Sample> samples = new ArrayList<>();
      Labels pageLabels = Labels.of("page", page.name());
      String problem = null;
      if (result.failed()) {
        problem = result.cause().getMessage();
      } else if (result.result().status() != 200) {
        problem = "status " + result.result().status();
      } else {
        try {
          samples.addAll(summary(page, JSON.readTree(result.result().body().getBytes()), timestamp));
        } catch (IOException | IllegalArgumentException e) {
          problem = "not a Statuspage summary: " + e.getMessage();
        }
      }
      if (problem != null) {
        LOG.warn("Statuspage {} ({}) not read: {}", page.name(), page.url(), problem);
      }
      samples.add(sample("statuspage_up", pageLabels, timestamp, problem == null ? 1 : 0));
      store.append(samples);
      return Future.succeededFuture();
    });
  }

  /** The series of one {@code summary.json}; throws when its shape is not Statuspage's. */
  static List<Sample> summary(ProbesConfig.StatusPage page, JsonNode summary, long timestamp) {
    String indicator = summary.path("status").path("indicator").asText(null);
    Integer level = indicator == null ? null : INDICATORS.get(indicator);
    if (level == null || !summary.path("components").isArray()) {
      throw new IllegalArgumentException("status.indicator or components missing or unknown");
    }
    List<Sample> samples = new ArrayList<>();
    samples.add(sample("statuspage_indicator", Labels.of("page", page.name()), timestamp, level));
    for (JsonNode component : summary.path("components")) {
      if (component.path("group").asBoolean(false)) {
        continue; // a group's status repeats its members'
      }
      String name = component.path("name").asText();
      String status = component.path("status").asText();
      for (String candidate : COMPONENT_STATUSES) {
        samples.add(sample("statuspage_component_status",
            Labels.of("page", page.name(), "component", name, "status", candidate), timestamp,
            candidate.equals(status) ? 1 : 0));
      }
    }
    return samples;
  }

  private Future<Answer> get(URI url) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url.toString());
    return client.request(request)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> new Answer(resp.statusCode(), body)))
        .timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The start of an answer's body, for the log: enough to tell which page answered. */
  private static String start(Buffer body) {
    String text = body.toString();
    return body.length() == 0 ? "empty body" : "body starts '" + text.substring(0, Math.min(text.length(), 80)) + "'";
  }

  private static Sample sample(String name, Labels labels, long timestamp, double value) {
    return new Sample(labels.with(Labels.METRIC_NAME, name), timestamp, value);
  }

  @Override
  public void close() {
    timers.forEach(vertx::cancelTimer);
    client.close();
  }

  private record Answer(int status, Buffer body) {}
}
