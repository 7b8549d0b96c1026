package dev.scoville.contingency;

import java.time.Instant;

/** A status-page entry written by a customer-message action, for a person to review and publish. */
public record StatusPageDraft(
    long id, long runId, String incidentId, String headline, String body, Instant createdAt) {}
