package dev.scoville.shop;

import java.time.Duration;
import java.time.Instant;

/**
 * A scenario playing since {@code startedAt}, {@code speed} times faster than written: at speed
 * 60 a ten-minute outage lasts ten seconds.
 */
public record ScenarioRun(DrillScenario scenario, Instant startedAt, double speed) {

  public ScenarioRun {
    if (!(speed >= 1 && speed <= 3600)) {
      throw new IllegalArgumentException("speed must be from 1 to 3600, not " + speed);
    }
  }

  public DrillScenario.Effects effectsAt(Instant now) {
    Duration since = Duration.between(startedAt, now);
    if (since.isNegative()) {
      return DrillScenario.Effects.NONE;
    }
    return scenario.effectsAt(Duration.ofNanos((long) (since.toNanos() * speed)));
  }

  /** When the script's last step ends, in wall time. */
  public Instant endsAt() {
    return startedAt.plusNanos((long) (scenario.length().toNanos() / speed));
  }

  public boolean finishedAt(Instant now) {
    return !now.isBefore(endsAt());
  }
}
