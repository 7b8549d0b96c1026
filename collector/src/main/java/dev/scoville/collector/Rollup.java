package dev.scoville.collector;

import dev.scoville.core.Labels;

/**
 * One series' samples in one minute, summarised: minimum, maximum, sum, count and last value of the
 * samples that are numbers (NaN and staleness markers left out).
 */
public record Rollup(
    Labels labels,
    long minuteStartMillis,
    double min,
    double max,
    double sum,
    int count,
    double last) {}
