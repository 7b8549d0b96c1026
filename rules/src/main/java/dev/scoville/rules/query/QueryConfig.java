package dev.scoville.rules.query;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.rules.promql.QueryBudget;
import java.time.Duration;

/**
 * The {@code query} section, Prometheus's {@code --query.timeout} and {@code --query.max-samples}
 * with its defaults: every query, through the HTTP API or of a rule, is stopped past {@code
 * timeout} or when it would hold more than {@code maxSamples} samples at once.
 *
 * <pre>
 * query:
 *   timeout: 2m
 *   maxSamples: 50000000
 * </pre>
 */
public record QueryConfig(Duration timeout, Long maxSamples) {
  public QueryConfig {
    timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
    maxSamples = maxSamples == null ? 50_000_000L : maxSamples;
  }

  public static QueryConfig defaults() {
    return new QueryConfig(null, null);
  }

  /** The section of {@code file}, checked; a bad value fails naming its file:line:column. */
  public static QueryConfig from(ConfigFile file) {
    QueryConfig config = file.section("query", QueryConfig.class, defaults());
    if (config.timeout.toMillis() < 1) {
      throw new ConfigException(file.place("query", "timeout") + ": query.timeout must be at least 1ms");
    }
    if (config.maxSamples < 1) {
      throw new ConfigException(file.place("query", "maxSamples") + ": query.maxSamples must be at least 1");
    }
    return config;
  }

  /** A budget for one query starting now. */
  public QueryBudget budget() {
    return QueryBudget.of(timeout, maxSamples, System.nanoTime());
  }
}
