package dev.scoville.collector;

import dev.scoville.core.ConfigException;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.collector.exposition.Exposition;
import dev.scoville.collector.exposition.ExpositionException;
import dev.scoville.collector.exposition.ExpositionFormat;
import dev.scoville.collector.exposition.ExpositionReader;
import dev.scoville.collector.scrape.ScrapeBody;
import dev.scoville.collector.scrape.ScrapeConnection;
import dev.scoville.collector.scrape.ScrapeResponse;
import io.prometheus.client.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes every target on its job's interval over its own non-blocking {@link ScrapeConnection}, so a
 * slow or broken target delays nobody else. Each scrape also writes Prometheus's synthetic series {@code
 * up}, {@code scrape_duration_seconds}, {@code scrape_samples_scraped}, {@code
 * scrape_samples_post_metric_relabeling} and {@code scrape_series_added}, and marks series that
 * vanished from a target stale. Targets listed in files come and go as the files change.
 */
public final class ScrapeManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeManager.class);
  private static final Counter SCRAPES = Counter.build("scoville_scrapes_total",
      "Scrapes, by job and result (success or failure).").labelNames("job", "result").register();
  private static final Counter SAMPLES = Counter.build("scoville_scraped_samples_total",
      "Samples scraped and appended, by job.").labelNames("job").register();
  private static final Duration FILE_CHECK = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final SeriesStore store;
  private final Clock clock;
  private final List<JobSpec> jobs = new ArrayList<>();
  /** Targets by job and URL, in the order they were added; changed only on an event loop. */
  private final Map<String, Target> targets = new ConcurrentHashMap<>();
  private final Map<URI, TargetHealth> health = new ConcurrentHashMap<>();
  private final Map<Path, FileTime> fileVersions = new ConcurrentHashMap<>();
  /** Targets per job, for target limits; changed only on an event loop. */
  private final Map<String, Integer> targetCounts = new ConcurrentHashMap<>();
  private final List<Long> timers = new ArrayList<>();
  /** Which targets this instance scrapes (job, URL): all of them unless several instances share them. */
  private volatile BiPredicate<String, URI> mine = (job, url) -> true;
  private volatile boolean started;
  private volatile boolean closed;

  /** Checks the jobs (relabel rules, files) and prepares them; scraping begins with {@link #start()}. */
  public ScrapeManager(Vertx vertx, SeriesStore store, Clock clock, ScrapeConfig config) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
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
  public synchronized void start() {
    started = true;
    for (JobSpec job : jobs) {
      List<Target> ofJob = targets().stream().filter(t -> t.job == job).toList();
      scheduleMine(ofJob);
      if (!job.config.files().isEmpty()) {
        reloadFiles(job);
        timers.add(vertx.setPeriodic(FILE_CHECK.toMillis(), id -> reloadFiles(job)));
      }
    }
  }

  /**
   * Scrapes from now on only the targets {@code mine} accepts, given a target's job and URL:
   * when several instances share the targets, the ones assigned to this instance. A target given
   * up is stopped as if it had gone (its series marked stale here); one taken over starts at once.
   */
  public synchronized void scrapeOnly(BiPredicate<String, URI> mine) {
    this.mine = mine;
    if (!started || closed) {
      return;
    }
    List<Target> takenOver = new ArrayList<>();
    for (Target target : targets()) {
      boolean wanted = mine.test(target.job.config.name(), target.url);
      if (!wanted && target.timer >= 0) {
        giveUp(target);
      } else if (wanted && target.timer < 0) {
        takenOver.add(target);
      }
    }
    scheduleMine(takenOver);
  }

  /** Spreads the first scrapes of the targets this instance scrapes over their interval. */
  private void scheduleMine(List<Target> candidates) {
    List<Target> ofMine = candidates.stream().filter(t -> mine.test(t.job.config.name(), t.url)).toList();
    for (int i = 0; i < ofMine.size(); i++) {
      schedule(ofMine.get(i), i, ofMine.size());
    }
  }

  /** The last scrape of every target this instance scrapes. */
  public List<TargetHealth> health() {
    return targets.values().stream().filter(t -> mine.test(t.job.config.name(), t.url))
        .sorted((a, b) -> Long.compare(a.order, b.order))
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
  private synchronized void reconcile(JobSpec job, String source, Map<URI, Map<String, String>> discovered) {
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
      Target target = new Target(job, source, e.getKey(), e.getValue(), targets.size(),
          ScrapeConnection.to(vertx, e.getKey()), new ScrapeCache(store));
      targets.put(key, target);
      if (started && mine.test(job.config.name(), target.url)) {
        schedule(target, i++, wanted.size());
      }
    }
    countTargets(job);
  }

  private void countTargets(JobSpec job) {
    targetCounts.put(job.config.name(), (int) targets.values().stream().filter(t -> t.job == job).count());
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
      queryParameters(url).forEach((name, value) -> before.putIfAbsent("__param_" + name, value));
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

  /** The first value of each query parameter, as Prometheus offers them to relabeling. */
  private static Map<String, String> queryParameters(URI url) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (url.getRawQuery() != null) {
      for (String pair : url.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        parameters.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return parameters;
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
    if (target.timer >= 0) {
      giveUp(target);
    }
    if (target.connection != null) {
      target.connection.close();
    }
    targets.remove(target.job.config.name() + " " + target.url);
    countTargets(target.job);
  }

  /** Stops scraping a target; its series end here with staleness markers, as Prometheus ends them. */
  private void giveUp(Target target) {
    vertx.cancelTimer(target.timer);
    target.timer = -1;
    synchronized (target) {
      health.remove(target.url);
      target.cache.staleAll(clock.millis());
    }
  }

  Future<Void> scrape(Target target) {
    long startNanos = System.nanoTime();
    long timestamp = clock.millis();
    JobSpec job = target.job;
    int targetLimit = job.config.targetLimit();
    int targetCount = targetCounts.getOrDefault(job.config.name(), 0);
    if (targetLimit > 0 && targetCount > targetLimit) {
      fail(target, timestamp, 0, "target_limit exceeded (number of targets: " + targetCount + ", limit: " + targetLimit + ")");
      return Future.succeededFuture();
    }
    if (target.connection == null) {
      fail(target, timestamp, 0, "invalid target URL " + target.url);
      return Future.succeededFuture();
    }
    return target.connection.fetch(target.takeBody(), job.config.bodySizeLimitBytes(), job.timeout.toMillis())
        .transform(result -> {
          double seconds = (System.nanoTime() - startNanos) / 1e9;
          // The target may be handed to another instance meanwhile, from the membership's thread:
          // its series are then marked stale under the same lock, before or after this scrape.
          synchronized (target) {
            // Closing, or handing the target over, cuts scrapes in flight short: that says
            // nothing about the target.
            if (closed || targets.get(job.config.name() + " " + target.url) != target
                || !mine.test(job.config.name(), target.url)) {
              return Future.succeededFuture();
            }
            if (result.succeeded()) {
              ingest(target, result.result(), timestamp, seconds);
              target.giveBack(result.result().body());
            } else {
              fail(target, timestamp, seconds, describe(result.cause()));
            }
          }
          return Future.succeededFuture();
        });
  }

  /**
   * Appends a scrape's samples: through the target's scrape cache when it knows every series in
   * the body, else through the full parser, which also checks the body and teaches the cache the
   * new series. Nothing of an invalid body is appended.
   */
  private void ingest(Target target, ScrapeResponse response, long timestamp, double seconds) {
    byte[] body = response.body().bytes();
    int length = response.body().length();
    boolean openMetrics = ExpositionFormat.fromContentType(response.contentType()) == ExpositionFormat.OPENMETRICS_1_0_0;
    ScrapeCache cache = target.cache;
    cache.startScrape();
    ScrapeCache.Batch batch = target.batch;
    batch.clear();
    if (cache.size() == 0 || !cache.gatherKnown(body, length, openMetrics, timestamp, batch)) {
      batch.clear();
      ExpositionReader reader = new ExpositionReader(body, length, openMetrics, timestamp);
      Exposition exposition;
      try {
        exposition = reader.read();
      } catch (ExpositionException e) {
        fail(target, timestamp, seconds, "invalid exposition: " + e.getMessage());
        return;
      }
      int[] spans = reader.seriesSpans();
      List<Sample> samples = exposition.samples();
      try {
        for (int i = 0; i < samples.size(); i++) {
          Sample sample = samples.get(i);
          batch.add(cache.see(body, spans[2 * i], spans[2 * i + 1], sample.labels(), target::label),
              sample.timestampMillis(), sample.value());
        }
      } catch (LimitExceeded e) {
        fail(target, timestamp, seconds, e.getMessage());
        return;
      }
    }
    int sampleLimit = target.job.config.sampleLimit();
    if (sampleLimit > 0) {
      int kept = ScrapeCache.kept(batch);
      if (kept > sampleLimit) {
        fail(target, timestamp, seconds, "sample_limit exceeded (number of samples: " + kept + ", limit: " + sampleLimit + ")");
        return;
      }
    }
    int appended = cache.append(batch, timestamp);
    appended += store.append(target.synthetic(timestamp, 1, seconds, batch.size(), ScrapeCache.kept(batch),
        cache.added()));
    String job = target.job.config.name();
    target.successes.inc();
    target.samples.inc(appended);
    health.put(target.url, new TargetHealth(job, target.url, true, clock.instant(),
        Math.round(seconds * 1000), batch.size(), null));
  }

  private void fail(Target target, long timestamp, double seconds, String reason) {
    String job = target.job.config.name();
    TargetHealth previous = health.get(target.url);
    if (previous == null || previous.up() || !reason.equals(previous.lastError())) {
      LOG.warn("Scrape of {} (job {}) failed: {}", target.url, job, reason);
    }
    target.cache.staleAll(timestamp);
    store.append(target.synthetic(timestamp, 0, seconds, 0, 0, 0));
    target.failures.inc();
    health.put(target.url, new TargetHealth(job, target.url, false, clock.instant(),
        Math.round(seconds * 1000), 0, reason));
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
    closed = true;
    timers.forEach(vertx::cancelTimer);
    targets.values().forEach(t -> {
      vertx.cancelTimer(t.timer);
      if (t.connection != null) {
        t.connection.close();
      }
    });
  }

  /** A scrape over one of its job's limits; the message is the reason shown for the target. */
  private static final class LimitExceeded extends RuntimeException {
    LimitExceeded(String reason) {
      super(reason, null, false, false);
    }
  }

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
    /** Null when the URL is no http(s) URL with a host. */
    final ScrapeConnection connection;
    final ScrapeCache cache;
    /** Reused by every scrape: one scrape of a target is ingested at a time, on its event loop. */
    final ScrapeCache.Batch batch = new ScrapeCache.Batch(16);
    final List<Labels> syntheticLabels;
    /** The job's counters, looked up once rather than by label values at every scrape. */
    final Counter.Child successes;
    final Counter.Child failures;
    final Counter.Child samples;
    private ScrapeBody spareBody = new ScrapeBody();
    /** The scrape timer, -1 while this instance does not scrape the target. */
    volatile long timer = -1;

    Target(JobSpec job, String source, URI url, Map<String, String> extraLabels, long order,
        ScrapeConnection connection, ScrapeCache cache) {
      this.job = job;
      this.connection = connection;
      this.cache = cache;
      this.source = source;
      this.url = url;
      this.extraLabels = extraLabels;
      this.order = order;
      // Relabeling, or the job's own labels, may have named the job or the instance already.
      Map<String, String> targetLabels = new HashMap<>(extraLabels);
      targetLabels.putIfAbsent("job", job.config.name());
      targetLabels.putIfAbsent("instance", address(url));
      this.upLabels = Labels.fromMap(targetLabels);
      this.syntheticLabels = Stream.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
          "scrape_samples_post_metric_relabeling", "scrape_series_added")
          .map(name -> upLabels.with(Labels.METRIC_NAME, name)).toList();
      this.successes = SCRAPES.labels(job.config.name(), "success");
      this.failures = SCRAPES.labels(job.config.name(), "failure");
      this.samples = SAMPLES.labels(job.config.name());
    }

    ScrapeBody takeBody() {
      ScrapeBody body = spareBody != null ? spareBody : new ScrapeBody();
      spareBody = null;
      return body;
    }

    void giveBack(ScrapeBody body) {
      spareBody = body;
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
      Labels relabeled = job.relabeling.isEmpty() ? labels : job.relabeling.apply(labels);
      if (relabeled != null) {
        checkLimits(relabeled);
      }
      return relabeled;
    }

    /** Prometheus's label limits, checked once per series: the scrape cache remembers it passed. */
    private void checkLimits(Labels labels) {
      ScrapeConfig.Job limits = job.config;
      String metric = labels.metricName();
      if (limits.labelLimit() > 0 && labels.size() > limits.labelLimit()) {
        throw new LimitExceeded("label_limit exceeded (metric: " + metric + ", number of labels: " + labels.size()
            + ", limit: " + limits.labelLimit() + ")");
      }
      for (int i = 0; i < labels.size(); i++) {
        String name = labels.name(i);
        String value = labels.value(i);
        if (limits.labelNameLengthLimit() > 0 && name.length() > limits.labelNameLengthLimit()) {
          throw new LimitExceeded("label_name_length_limit exceeded (metric: " + metric + ", label name: " + name
              + ", length: " + name.length() + ", limit: " + limits.labelNameLengthLimit() + ")");
        }
        if (limits.labelValueLengthLimit() > 0 && value.length() > limits.labelValueLengthLimit()) {
          throw new LimitExceeded("label_value_length_limit exceeded (metric: " + metric + ", label name: " + name
              + ", value: \"" + value + "\", length: " + value.length() + ", limit: " + limits.labelValueLengthLimit() + ")");
        }
      }
    }

    /** The series Prometheus writes for every scrape of a target, with the same names and meanings. */
    List<Sample> synthetic(long timestamp, double up, double seconds, int scraped, int kept, int added) {
      return List.of(
          new Sample(syntheticLabels.get(0), timestamp, up),
          new Sample(syntheticLabels.get(1), timestamp, seconds),
          new Sample(syntheticLabels.get(2), timestamp, scraped),
          new Sample(syntheticLabels.get(3), timestamp, kept),
          new Sample(syntheticLabels.get(4), timestamp, added));
    }
  }
}
