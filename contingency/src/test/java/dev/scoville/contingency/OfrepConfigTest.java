package dev.scoville.contingency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfrepConfigTest {
  @Test
  void readsTheTokenFromTheEnvironmentAndNeverPrintsIt() {
    ConfigFile config = ConfigFile.parse("scoville.yaml", "ofrep:\n  token: ${OFREP_TOKEN}\n", Map.of("OFREP_TOKEN", "s3cret"));

    OfrepConfig ofrep = OfrepConfig.fromConfig(config);

    assertThat(ofrep.token()).isEqualTo("s3cret");
    assertThat(ofrep.toString()).doesNotContain("s3cret");
  }

  @Test
  void isRequiredOnceThereIsAKillSwitchToServe() {
    ConfigFile config = ConfigFile.parse("scoville.yaml", "ofrep: {}\n", Map.of());

    assertThatThrownBy(() -> OfrepConfig.fromConfig(config)).isInstanceOf(ConfigException.class)
        .hasMessage("scoville.yaml: ofrep.token is required (the bearer token the shop sends)");
  }
}
