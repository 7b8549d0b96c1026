package dev.scoville.contingency;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;

/** The {@code ofrep} section: the bearer token the shop's OpenFeature provider sends. */
public record OfrepConfig(String token) {

  /** Reads {@code ofrep: {token: ${OFREP_TOKEN}}}; required once there is a kill switch to serve. */
  public static OfrepConfig fromConfig(ConfigFile config) {
    OfrepConfig section = config.section("ofrep", OfrepConfig.class, null);
    if (section == null || section.token() == null || section.token().isBlank()) {
      throw new ConfigException(
          config.source() + ": ofrep.token is required (the bearer token the shop sends)");
    }
    return section;
  }

  @Override
  public String toString() {
    return "OfrepConfig[token=***]";
  }
}
