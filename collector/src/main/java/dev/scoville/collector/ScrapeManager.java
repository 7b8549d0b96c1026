package dev.scoville.collector;

import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import io.prometheus.client.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes every target on its job's interval with Vert.x's non-blocking HTTP client, so a slow or
 * broken target delays nobody else. Each scrape also writes Prometheus's synthetic series {@code
 * up}, {@code scrape_duration_seconds} and {@code scrape_samples_scraped}, and marks series that
 * vanished from a target stale.
 */
public final class ScrapeManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeManager.class);
  private static final Counter SCRAPES = Counter.build("scoville_scrapes_total",
      "Scrapes, by job and result (success or failure).").labelNames("job", "result").register();
  private static final Counter SAMPLES = Counter.build("scoville_scraped_samples_total",
      "Samples scraped and appended, by job.").labelNames("job").register();
  static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";
  private static final long MAX_BODY_BYTES = 32L * 1024 * 1024;

  private final Vertx vertx;
  private final SeriesStore store;
  private final Clock clock;
  private final HttpClientAgent client;
  private final List<Target> targets = new ArrayList<>();
  private final Map<URI, TargetHealth> health = new ConcurrentHashMap<>();
  private final List<Long> timers = new ArrayList<>();

  public ScrapeManager(Vertx vertx, SeriesStore store, Clock clock, ScrapeConfig config) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.client = vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(true));
    for (ScrapeConfig.Job job : config.jobs()) {
      Duration interval = job.interval() != null ? job.interval() : config.interval();
      Duration timeout = job.timeout() != null ? job.timeout() : config.timeout();
      for (URI url : job.targets()) {
        targets.add(new Target(job.name(), url, interval, timeout.compareTo(interval) > 0 ? interval : timeout));
      }
    }
  }

  /** Starts scraping; targets of one job are spread over the interval rather than all at once. */
  public void start() {
    for (int i = 0; i < targets.size(); i++) {
      Target target = targets.get(i);
      long interval = target.interval.toMillis();
      long offset = 1 + (long) ((double) interval * i / Math.max(1, targets.size()));
      timers.add(vertx.setPeriodic(offset, interval, id -> scrape(target)));
    }
  }

  /** The last scrape of every target, in configuration order. */
  public List<TargetHealth> health() {
    return targets.stream().map(t -> health.getOrDefault(t.url,
        new TargetHealth(t.job, t.url, false, null, 0, 0, "not scraped yet"))).toList();
  }

  List<Target> targets() {
    return targets;
  }

  Future<Void> scrape(Target target) {
    long startNanos = System.nanoTime();
    long timestamp = clock.millis();
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(target.url.toString())
        .setConnectTimeout(target.timeout.toMillis())
        .putHeader("Accept", ACCEPT)
        .putHeader("X-Prometheus-Scrape-Timeout-Seconds", String.valueOf(target.timeout.toMillis() / 1000.0));
    HttpClientRequest[] sent = new HttpClientRequest[1];
    return client.request(request)
        .compose(req -> {
          sent[0] = req;
          return req.send();
        })
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return Future.failedFuture("server returned HTTP status " + resp.statusCode() + " " + resp.statusMessage());
          }
          String length = resp.getHeader("Content-Length");
          if (length != null && Long.parseLong(length) > MAX_BODY_BYTES) {
            return Future.failedFuture("body of " + length + " bytes exceeds the limit of " + MAX_BODY_BYTES);
          }
          String contentType = resp.getHeader("Content-Type");
          return resp.body().map(body -> new Response(contentType, body));
        })
        .timeout(target.timeout.toMillis(), TimeUnit.MILLISECONDS)
        .transform(result -> {
          double seconds = (System.nanoTime() - startNanos) / 1e9;
          if (result.succeeded()) {
            ingest(target, result.result(), timestamp, seconds);
          } else {
            if (sent[0] != null) {
              sent[0].reset();
            }
            fail(target, timestamp, seconds, describe(result.cause()));
          }
          return Future.succeededFuture();
        });
  }

  private void ingest(Target target, Response response, long timestamp, double seconds) {
    Exposition exposition;
    try {
      exposition = ExpositionParser.parse(response.body.getBytes(),
          ExpositionFormat.fromContentType(response.contentType), timestamp);
    } catch (ExpositionException e) {
      fail(target, timestamp, seconds, "invalid exposition: " + e.getMessage());
      return;
    }
    List<Sample> samples = new ArrayList<>(exposition.samples().size() + 3);
    Set<Labels> seen = new HashSet<>();
    for (Sample sample : exposition.samples()) {
      Labels labels = target.label(sample.labels());
      samples.add(new Sample(labels, sample.timestampMillis(), sample.value()));
      seen.add(labels);
    }
    samples.addAll(staleMarkers(target, seen, timestamp));
    target.lastSeries = seen;
    samples.addAll(target.synthetic(timestamp, 1, seconds, exposition.samples().size()));
    int appended = store.append(samples);
    SCRAPES.labels(target.job, "success").inc();
    SAMPLES.labels(target.job).inc(appended);
    health.put(target.url, new TargetHealth(target.job, target.url, true, clock.instant(),
        Math.round(seconds * 1000), exposition.samples().size(), null));
  }

  private void fail(Target target, long timestamp, double seconds, String reason) {
    TargetHealth previous = health.get(target.url);
    if (previous == null || previous.up() || !reason.equals(previous.lastError())) {
      LOG.warn("Scrape of {} (job {}) failed: {}", target.url, target.job, reason);
    }
    List<Sample> samples = new ArrayList<>(staleMarkers(target, Set.of(), timestamp));
    target.lastSeries = Set.of();
    samples.addAll(target.synthetic(timestamp, 0, seconds, 0));
    store.append(samples);
    SCRAPES.labels(target.job, "failure").inc();
    health.put(target.url, new TargetHealth(target.job, target.url, false, clock.instant(),
        Math.round(seconds * 1000), 0, reason));
  }

  private static List<Sample> staleMarkers(Target target, Set<Labels> seen, long timestamp) {
    List<Sample> stale = new ArrayList<>();
    for (Labels labels : target.lastSeries) {
      if (!seen.contains(labels)) {
        stale.add(new Sample(labels, timestamp, Sample.STALE_NAN));
      }
    }
    return stale;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof java.util.concurrent.TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
      return "timed out";
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  @Override
  public void close() {
    timers.forEach(vertx::cancelTimer);
    client.close();
  }

  private record Response(String contentType, Buffer body) {}

  /** A target and what its scrapes need to remember; touched only from its timer's event loop. */
  static final class Target {
    final String job;
    final URI url;
    final Duration interval;
    final Duration timeout;
    final String instance;
    Set<Labels> lastSeries = Set.of();

    Target(String job, URI url, Duration interval, Duration timeout) {
      this.job = job;
      this.url = url;
      this.interval = interval;
      this.timeout = timeout;
      this.instance = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    /** The target's labels win over the exposition's, as with Prometheus's honor_labels: false. */
    Labels label(Labels exposed) {
      Map<String, String> map = exposed.toMap();
      if (map.containsKey("job")) {
        map.put("exported_job", map.get("job"));
      }
      if (map.containsKey("instance")) {
        map.put("exported_instance", map.get("instance"));
      }
      map.put("job", job);
      map.put("instance", instance);
      return Labels.fromMap(map);
    }

    List<Sample> synthetic(long timestamp, double up, double seconds, int samples) {
      return List.of(
          new Sample(Labels.of(Labels.METRIC_NAME, "up", "job", job, "instance", instance), timestamp, up),
          new Sample(Labels.of(Labels.METRIC_NAME, "scrape_duration_seconds", "job", job, "instance", instance), timestamp, seconds),
          new Sample(Labels.of(Labels.METRIC_NAME, "scrape_samples_scraped", "job", job, "instance", instance), timestamp, samples));
    }
  }
}
