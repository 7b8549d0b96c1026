package dev.scoville.reports;

import java.time.Instant;

/**
 * One item of the follow-up list: a piece of technical debt or a lesson from a peak.
 *
 * @param incidentId the incident it came from, or null
 * @param doneAt null while it is open
 */
public record FollowUp(long id, String title, Priority priority, Long incidentId, String createdBy, Instant createdAt,
    String doneBy, Instant doneAt) {

  /** Before the next peak, soon after, or when there is time. */
  public enum Priority {
    HIGH, MEDIUM, LOW
  }

  public boolean open() {
    return doneAt == null;
  }
}
