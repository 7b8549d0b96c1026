package dev.scoville.collector.exposition;

import dev.scoville.core.Sample;
import java.util.List;

/** Everything one scrape answered: samples in input order, metadata per family, exemplars. */
public record Exposition(
    List<Sample> samples, List<MetricMetadata> metadata, List<Exemplar> exemplars) {
  public Exposition {
    samples = List.copyOf(samples);
    metadata = List.copyOf(metadata);
    exemplars = List.copyOf(exemplars);
  }
}
