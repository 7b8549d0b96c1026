package dev.scoville.shop;

import java.time.Duration;

/**
 * The demo's day: a quiet baseline, the sale's peak, an injected fault (the payment gateway fails
 * and checkout slows down), then recovery, which lasts for ever. Compress it for tests and drills.
 */
public record Scenario(Duration baseline, Duration peak, Duration fault) {

  public static final Scenario DEMO =
      new Scenario(Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(4));

  public Phase phaseAt(Duration sinceStart) {
    Duration end = baseline;
    if (sinceStart.compareTo(end) < 0) {
      return Phase.BASELINE;
    }
    end = end.plus(peak);
    if (sinceStart.compareTo(end) < 0) {
      return Phase.PEAK;
    }
    end = end.plus(fault);
    if (sinceStart.compareTo(end) < 0) {
      return Phase.FAULT;
    }
    return Phase.RECOVERY;
  }

  public enum Phase {
    BASELINE(1.0, false),
    PEAK(1.75, false),
    FAULT(1.75, true),
    RECOVERY(1.5, false);

    private final double trafficFactor;
    private final boolean faulty;

    Phase(double trafficFactor, boolean faulty) {
      this.trafficFactor = trafficFactor;
      this.faulty = faulty;
    }

    /** Traffic relative to baseline. */
    public double trafficFactor() {
      return trafficFactor;
    }

    public boolean faulty() {
      return faulty;
    }
  }
}
