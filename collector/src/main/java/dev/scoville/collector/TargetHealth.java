package dev.scoville.collector;

import java.net.URI;
import java.time.Instant;

/** How a target's last scrape went, for the console and the API. */
public record TargetHealth(String job, URI url, boolean up, Instant lastScrape, long lastDurationMillis,
    int lastSamples, String lastError) {}
