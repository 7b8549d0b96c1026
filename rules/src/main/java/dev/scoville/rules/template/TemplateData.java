package dev.scoville.rules.template;

import dev.scoville.rules.promql.VectorSample;
import java.util.List;
import java.util.Map;

/**
 * What an alert's templates see, as in Prometheus: {@code .Labels} / {@code $labels} (the alert's
 * series), {@code .ExternalLabels} / {@code $externalLabels}, {@code .ExternalURL} / {@code
 * $externalURL} and {@code .Value} / {@code $value}; {@code query} runs PromQL for the {@code
 * query} function at the evaluation's instant.
 */
public record TemplateData(Map<String, String> labels, Map<String, String> externalLabels, String externalUrl,
    double value, Queries query) {

  /** Runs an expression for the template's {@code query} function. */
  public interface Queries {
    List<VectorSample> run(String expression) throws Exception;
  }

  public TemplateData {
    labels = Map.copyOf(labels);
    externalLabels = Map.copyOf(externalLabels);
    externalUrl = externalUrl == null ? "" : externalUrl;
  }
}
