package dev.scoville.reports.drills;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.net.URI;
import java.time.Duration;

/**
 * The {@code drills} section.
 *
 * @param shop the base URL of the shop's drill endpoint ({@code <shop>scenarios/<name>}); the
 *     demo's own shop when the demo runs and this is unset
 * @param speed how many times faster than written scenarios play unless a drill asks otherwise
 * @param escalation the escalation policy drill incidents follow instead of their rule's; null:
 *     the rule's own, so that a drill pages as a real incident would (with the drill prefix)
 * @param targets what a drill is scored against, each timed from the drill's start
 * @param timeout how long after its scenario ends a drill waits for its incidents to resolve
 */
public record DrillsConfig(URI shop, Double speed, String escalation, Targets targets, Duration timeout) {

  public DrillsConfig {
    speed = speed == null ? 1.0 : speed;
    targets = targets == null ? Targets.DEFAULTS : targets;
    timeout = timeout == null ? Duration.ofMinutes(30) : timeout;
  }

  /** The times a drill should beat, from its start; unset ones take the defaults. */
  public record Targets(Duration detect, Duration acknowledge, Duration mitigate, Duration recover) {
    static final Targets DEFAULTS = new Targets(null, null, null, null);

    public Targets {
      detect = detect == null ? Duration.ofMinutes(2) : detect;
      acknowledge = acknowledge == null ? Duration.ofMinutes(5) : acknowledge;
      mitigate = mitigate == null ? Duration.ofMinutes(10) : mitigate;
      recover = recover == null ? Duration.ofMinutes(20) : recover;
    }
  }

  public static DrillsConfig none() {
    return new DrillsConfig(null, null, null, null, null);
  }

  /** The section, checked: a speed from 1 to 3600, a shop URL that is absolute HTTP. */
  public static DrillsConfig fromConfig(ConfigFile config) {
    DrillsConfig drills = config.section("drills", DrillsConfig.class, none());
    if (drills.speed() < 1 || drills.speed() > 3600) {
      throw new ConfigException(config.place("drills", "speed") + ": speed must be from 1 to 3600, not " + drills.speed());
    }
    if (drills.shop() != null && !(drills.shop().isAbsolute() && drills.shop().getScheme().startsWith("http"))) {
      throw new ConfigException(config.place("drills", "shop") + ": shop must be an http(s) URL, not " + drills.shop());
    }
    return drills;
  }

  /** The same settings with the shop at {@code url}. */
  public DrillsConfig withShop(URI url) {
    return new DrillsConfig(url, speed, escalation, targets, timeout);
  }
}
