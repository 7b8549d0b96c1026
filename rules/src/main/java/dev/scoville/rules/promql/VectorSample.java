package dev.scoville.rules.promql;

import dev.scoville.core.Labels;

/** One element of an instant-vector result; a scalar result is one of these with empty labels. */
public record VectorSample(Labels labels, double value) {}
