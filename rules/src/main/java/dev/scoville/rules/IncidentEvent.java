package dev.scoville.rules;

import java.time.Instant;

/** One entry of an incident's timeline. */
public record IncidentEvent(long incidentId, Instant at, String kind, String actor, String detail) {}
