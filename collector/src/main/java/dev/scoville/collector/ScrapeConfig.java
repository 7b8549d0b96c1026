package dev.scoville.collector;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code scrape} section: jobs of Prometheus targets, each scraped on its own interval. */
public record ScrapeConfig(Duration interval, Duration timeout, List<Job> jobs) {

  public ScrapeConfig {
    interval = interval == null ? Duration.ofSeconds(15) : interval;
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
  }

  public static ScrapeConfig none() {
    return new ScrapeConfig(null, null, List.of());
  }

  /** Adds a job, e.g. the demo shop's. */
  public ScrapeConfig withJob(Job job) {
    List<Job> all = new ArrayList<>(jobs);
    all.add(job);
    return new ScrapeConfig(interval, timeout, all);
  }

  /**
   * A job: static target URLs and/or files listing more (reloaded when they change), labels added
   * to every sample, target relabeling (Prometheus's {@code relabel_configs}) and metric
   * relabeling, and interval, timeout and body limit when they differ from the defaults; and
   * Prometheus's limits, 0 for none: samples per scrape (after metric relabeling), labels per
   * series, label name and value lengths (in characters), and targets in the job. A scrape over a
   * limit fails as a whole, and a job over its target limit scrapes none of its targets.
   */
  public record Job(
      String name,
      Duration interval,
      Duration timeout,
      List<URI> targets,
      List<Path> files,
      Map<String, String> labels,
      List<RelabelRule> relabel,
      List<RelabelRule> metricRelabel,
      Long bodySizeLimitBytes,
      Integer sampleLimit,
      Integer labelLimit,
      Integer labelNameLengthLimit,
      Integer labelValueLengthLimit,
      Integer targetLimit) {
    static final long DEFAULT_BODY_SIZE_LIMIT = 32L * 1024 * 1024;

    public Job {
      targets = targets == null ? List.of() : List.copyOf(targets);
      files = files == null ? List.of() : List.copyOf(files);
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      relabel = relabel == null ? List.of() : List.copyOf(relabel);
      metricRelabel = metricRelabel == null ? List.of() : List.copyOf(metricRelabel);
      bodySizeLimitBytes = bodySizeLimitBytes == null ? DEFAULT_BODY_SIZE_LIMIT : bodySizeLimitBytes;
      // Not written: no limit, as in Prometheus (boxed so that a job may leave them out).
      sampleLimit = sampleLimit == null ? 0 : sampleLimit;
      labelLimit = labelLimit == null ? 0 : labelLimit;
      labelNameLengthLimit = labelNameLengthLimit == null ? 0 : labelNameLengthLimit;
      labelValueLengthLimit = labelValueLengthLimit == null ? 0 : labelValueLengthLimit;
      targetLimit = targetLimit == null ? 0 : targetLimit;
    }

    public static Job of(String name, List<URI> targets) {
      return new Job(name, null, null, targets, null, null, null, null, null, 0, 0, 0, 0, 0);
    }
  }

  /**
   * One step of Prometheus's {@code relabel_configs} or {@code metric_relabel_configs}: {@code
   * keep}, {@code drop}, {@code replace}, {@code labelmap}, {@code labeldrop} or {@code
   * labelkeep}, with Prometheus's defaults (separator {@code ;}, regex {@code (.*)}, replacement
   * {@code $1}).
   */
  public record RelabelRule(
      String action, List<String> sourceLabels, String separator, String regex, String targetLabel,
      String replacement) {
    public RelabelRule {
      action = action == null ? "replace" : action;
      sourceLabels = sourceLabels == null ? List.of() : List.copyOf(sourceLabels);
      separator = separator == null ? ";" : separator;
      regex = regex == null ? "(.*)" : regex;
      replacement = replacement == null ? "$1" : replacement;
    }
  }
}
