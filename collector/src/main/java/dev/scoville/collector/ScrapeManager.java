package dev.scoville.collector;

import dev.scoville.core.ConfigException;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import io.prometheus.client.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes every target on its job's interval with Vert.x's non-blocking HTTP client, so a slow or
 * broken target delays nobody else. Each scrape also writes Prometheus's synthetic series {@code
 * up}, {@code scrape_duration_seconds} and {@code scrape_samples_scraped}, and marks series that
 * vanished from a target stale. Targets listed in files come and go as the files change.
 */
public final class ScrapeManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeManager.class);
  private static final Counter SCRAPES = Counter.build("scoville_scrapes_total",
      "Scrapes, by job and result (success or failure).").labelNames("job", "result").register();
  private static final Counter SAMPLES = Counter.build("scoville_scraped_samples_total",
      "Samples scraped and appended, by job.").labelNames("job").register();
  static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";
  private static final Duration FILE_CHECK = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final SeriesStore store;
  private final Clock clock;
  private final HttpClientAgent client;
  private final List<JobSpec> jobs = new ArrayList<>();
  /** Targets by job and URL, in the order they were added; changed only on an event loop. */
  private final Map<String, Target> targets = new ConcurrentHashMap<>();
  private final Map<URI, TargetHealth> health = new ConcurrentHashMap<>();
  private final Map<Path, FileTime> fileVersions = new ConcurrentHashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private volatile boolean started;

  /** Checks the jobs (relabel rules, files) and prepares them; scraping begins with {@link #start()}. */
  public ScrapeManager(Vertx vertx, SeriesStore store, Clock clock, ScrapeConfig config) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    // Per-request connect timeouts race with the pool's own; the overall timeout below bounds a scrape.
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setDecompressionSupported(true).setConnectTimeout(10_000));
    for (int i = 0; i < config.jobs().size(); i++) {
      ScrapeConfig.Job job = config.jobs().get(i);
      Duration interval = job.interval() != null ? job.interval() : config.interval();
      Duration timeout = job.timeout() != null ? job.timeout() : config.timeout();
      Relabeling targetRelabeling;
      Relabeling relabeling;
      try {
        targetRelabeling = Relabeling.compile(job.relabel(), "relabel");
        relabeling = Relabeling.compile(job.metricRelabel(), "metricRelabel");
      } catch (IllegalArgumentException e) {
        throw new ConfigException("scrape.jobs[" + i + "] (" + job.name() + ")." + e.getMessage(), e);
      }
      JobSpec spec = new JobSpec(job, interval, timeout.compareTo(interval) > 0 ? interval : timeout,
          targetRelabeling, relabeling);
      jobs.add(spec);
      Map<URI, Map<String, String>> wanted = new LinkedHashMap<>();
      job.targets().forEach(url -> wanted.put(url, job.labels()));
      reconcile(spec, "static", wanted);
    }
  }

  /** Starts scraping; a job's targets are spread over its interval rather than all at once. */
  public void start() {
    started = true;
    for (JobSpec job : jobs) {
      List<Target> ofJob = targets().stream().filter(t -> t.job == job).toList();
      for (int i = 0; i < ofJob.size(); i++) {
        schedule(ofJob.get(i), i, ofJob.size());
      }
      if (!job.config.files().isEmpty()) {
        reloadFiles(job);
        timers.add(vertx.setPeriodic(FILE_CHECK.toMillis(), id -> reloadFiles(job)));
      }
    }
  }

  /** The last scrape of every target. */
  public List<TargetHealth> health() {
    return targets.values().stream().sorted((a, b) -> Long.compare(a.order, b.order))
        .map(t -> health.getOrDefault(t.url, new TargetHealth(t.job.config.name(), t.url, false, null, 0, 0, "not scraped yet")))
        .toList();
  }

  List<Target> targets() {
    return targets.values().stream().sorted((a, b) -> Long.compare(a.order, b.order)).toList();
  }

  /** Reads the job's files off the event loop; a file that fails to read keeps its old targets. */
  private void reloadFiles(JobSpec job) {
    vertx.executeBlocking(() -> {
      Map<Path, List<TargetFile.Group>> changed = new LinkedHashMap<>();
      for (Path file : job.config.files()) {
        try {
          FileTime modified = Files.getLastModifiedTime(file);
          if (!modified.equals(fileVersions.get(file))) {
            changed.put(file, TargetFile.read(file));
            fileVersions.put(file, modified);
          }
        } catch (IOException e) {
          LOG.warn("Targets file of job {} not loaded, previous targets kept: {}", job.config.name(), e.getMessage());
        }
      }
      return changed;
    }).onSuccess(changed -> changed.forEach((file, groups) -> {
      Map<URI, Map<String, String>> wanted = new LinkedHashMap<>();
      for (TargetFile.Group group : groups) {
        Map<String, String> labels = new HashMap<>(job.config.labels());
        labels.putAll(group.labels());
        group.targets().forEach(url -> wanted.put(url, labels));
      }
      LOG.info("Job {}: {} targets from {}", job.config.name(), wanted.size(), file);
      reconcile(job, file.toString(), wanted);
    }));
  }

  /** Makes the targets that came from {@code source} exactly {@code discovered}, once relabeled. */
  private void reconcile(JobSpec job, String source, Map<URI, Map<String, String>> discovered) {
    Map<URI, Map<String, String>> wanted = job.targetRelabeling.isEmpty() ? discovered : relabel(job, discovered);
    for (Target target : List.copyOf(targets.values())) {
      if (target.job == job && target.source.equals(source) && !wanted.containsKey(target.url)) {
        stop(target);
      }
    }
    int i = 0;
    for (Map.Entry<URI, Map<String, String>> e : wanted.entrySet()) {
      String key = job.config.name() + " " + e.getKey();
      Target existing = targets.get(key);
      if (existing != null && existing.extraLabels.equals(e.getValue())) {
        continue;
      }
      if (existing != null) {
        stop(existing);
      }
      Target target = new Target(job, source, e.getKey(), e.getValue(), targets.size());
      targets.put(key, target);
      if (started) {
        schedule(target, i++, wanted.size());
      }
    }
  }

  /**
   * Prometheus's target relabeling: each target's labels, with {@code job}, {@code __address__},
   * {@code __scheme__} and {@code __metrics_path__}, go through the job's {@code relabel} rules,
   * which may drop the target or rewrite where it is scraped; labels starting with {@code __}
   * are then dropped and {@code instance} defaults to the address.
   */
  private static Map<URI, Map<String, String>> relabel(JobSpec job, Map<URI, Map<String, String>> discovered) {
    Map<URI, Map<String, String>> wanted = new LinkedHashMap<>();
    discovered.forEach((url, labels) -> {
      Map<String, String> before = new HashMap<>(labels);
      before.put("job", job.config.name());
      before.put("__address__", address(url));
      before.put("__scheme__", url.getScheme());
      before.put("__metrics_path__", url.getRawPath());
      Labels after = job.targetRelabeling.apply(Labels.fromMap(before));
      if (after == null || after.get("__address__") == null) {
        return;
      }
      Map<String, String> kept = new HashMap<>();
      for (int i = 0; i < after.size(); i++) {
        if (!after.name(i).startsWith("__")) {
          kept.put(after.name(i), after.value(i));
        }
      }
      kept.putIfAbsent("instance", after.get("__address__"));
      String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
      wanted.put(URI.create(Objects.requireNonNullElse(after.get("__scheme__"), "http") + "://" + after.get("__address__")
          + Objects.requireNonNullElse(after.get("__metrics_path__"), "") + query), kept);
    });
    return wanted;
  }

  private static String address(URI url) {
    return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
  }

  private void schedule(Target target, int index, int count) {
    long interval = target.job.interval.toMillis();
    long offset = 1 + (long) ((double) interval * index / Math.max(1, count));
    target.timer = vertx.setPeriodic(offset, interval, id -> scrape(target));
  }

  private void stop(Target target) {
    vertx.cancelTimer(target.timer);
    targets.remove(target.job.config.name() + " " + target.url);
    health.remove(target.url);
    List<Sample> stale = staleMarkers(target, Set.of(), clock.millis());
    store.append(stale);
  }

  Future<Void> scrape(Target target) {
    long startNanos = System.nanoTime();
    long timestamp = clock.millis();
    JobSpec job = target.job;
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(target.url.toString())
        .putHeader("Accept", ACCEPT)
        .putHeader("X-Prometheus-Scrape-Timeout-Seconds", String.valueOf(job.timeout.toMillis() / 1000.0));
    HttpClientRequest[] sent = new HttpClientRequest[1];
    return client.request(request)
        .compose(req -> {
          sent[0] = req;
          return req.send();
        })
        .compose(resp -> resp.statusCode() == 200
            ? readBody(resp, job.config.bodySizeLimitBytes()).map(body -> new Response(resp.getHeader("Content-Type"), body))
            : Future.failedFuture("server returned HTTP status " + resp.statusCode() + " " + resp.statusMessage()))
        .timeout(job.timeout.toMillis(), TimeUnit.MILLISECONDS)
        .transform(result -> {
          double seconds = (System.nanoTime() - startNanos) / 1e9;
          if (!targets.containsKey(job.config.name() + " " + target.url)) {
            return Future.succeededFuture();
          }
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

  /** The body as it streams in, refused as soon as it passes the limit (after decompression). */
  private static Future<Buffer> readBody(HttpClientResponse response, long limit) {
    Promise<Buffer> body = Promise.promise();
    Buffer received = Buffer.buffer();
    response.handler(chunk -> {
      if (received.length() + chunk.length() > limit) {
        body.tryFail("body exceeds the limit of " + limit + " bytes");
        response.request().reset();
      } else {
        received.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(body::tryFail);
    response.endHandler(v -> body.tryComplete(received));
    return body.future();
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
      if (labels != null) {
        samples.add(new Sample(labels, sample.timestampMillis(), sample.value()));
        // As in Prometheus, a series exposed with its own timestamp gets no staleness marker when it leaves.
        if (sample.timestampMillis() == timestamp) {
          seen.add(labels);
        }
      }
    }
    samples.addAll(staleMarkers(target, seen, timestamp));
    target.lastSeries = seen;
    samples.addAll(target.synthetic(timestamp, 1, seconds, exposition.samples().size()));
    int appended = store.append(samples);
    String job = target.job.config.name();
    SCRAPES.labels(job, "success").inc();
    SAMPLES.labels(job).inc(appended);
    health.put(target.url, new TargetHealth(job, target.url, true, clock.instant(),
        Math.round(seconds * 1000), exposition.samples().size(), null));
  }

  private void fail(Target target, long timestamp, double seconds, String reason) {
    String job = target.job.config.name();
    TargetHealth previous = health.get(target.url);
    if (previous == null || previous.up() || !reason.equals(previous.lastError())) {
      LOG.warn("Scrape of {} (job {}) failed: {}", target.url, job, reason);
    }
    List<Sample> samples = new ArrayList<>(staleMarkers(target, Set.of(), timestamp));
    target.lastSeries = Set.of();
    samples.addAll(target.synthetic(timestamp, 0, seconds, 0));
    store.append(samples);
    SCRAPES.labels(job, "failure").inc();
    health.put(target.url, new TargetHealth(job, target.url, false, clock.instant(),
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
    if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
      return "timed out";
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  @Override
  public void close() {
    timers.forEach(vertx::cancelTimer);
    targets.values().forEach(t -> vertx.cancelTimer(t.timer));
    client.close();
  }

  private record Response(String contentType, Buffer body) {}

  private record JobSpec(ScrapeConfig.Job config, Duration interval, Duration timeout, Relabeling targetRelabeling,
      Relabeling relabeling) {}

  /** A target and what its scrapes need to remember; touched only from its timer's event loop. */
  static final class Target {
    final JobSpec job;
    final String source;
    final URI url;
    final Map<String, String> extraLabels;
    final long order;
    final Labels upLabels;
    long timer = -1;
    Set<Labels> lastSeries = Set.of();

    Target(JobSpec job, String source, URI url, Map<String, String> extraLabels, long order) {
      this.job = job;
      this.source = source;
      this.url = url;
      this.extraLabels = extraLabels;
      this.order = order;
      // Relabeling, or the job's own labels, may have named the job or the instance already.
      Map<String, String> targetLabels = new HashMap<>(extraLabels);
      targetLabels.putIfAbsent("job", job.config.name());
      targetLabels.putIfAbsent("instance", address(url));
      this.upLabels = Labels.fromMap(targetLabels);
    }

    /**
     * The target's labels win over the exposition's, the clashing ones kept as {@code exported_*}
     * (Prometheus's honor_labels: false); then metric relabeling, which may drop the sample (null).
     */
    Labels label(Labels exposed) {
      Map<String, String> map = exposed.toMap();
      for (int i = 0; i < upLabels.size(); i++) {
        String name = upLabels.name(i);
        String clash = map.put(name, upLabels.value(i));
        if (clash != null) {
          map.put("exported_" + name, clash);
        }
      }
      Labels labels = Labels.fromMap(map);
      return job.relabeling.isEmpty() ? labels : job.relabeling.apply(labels);
    }

    List<Sample> synthetic(long timestamp, double up, double seconds, int samples) {
      return List.of(
          new Sample(upLabels.with(Labels.METRIC_NAME, "up"), timestamp, up),
          new Sample(upLabels.with(Labels.METRIC_NAME, "scrape_duration_seconds"), timestamp, seconds),
          new Sample(upLabels.with(Labels.METRIC_NAME, "scrape_samples_scraped"), timestamp, samples));
    }
  }
}
