package dev.scoville.collector;

import java.net.URI;
import java.time.Duration;
import java.util.List;

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
    List<Job> all = new java.util.ArrayList<>(jobs);
    all.add(job);
    return new ScrapeConfig(interval, timeout, all);
  }

  /** A job: its targets' URLs, and interval and timeout when they differ from the defaults. */
  public record Job(String name, Duration interval, Duration timeout, List<URI> targets) {
    public Job {
      targets = targets == null ? List.of() : List.copyOf(targets);
    }
  }
}
