package dev.scoville.collector.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  @Test
  void withoutTheSectionTheInstanceIsAlone() {
    assertThat(ClusterConfig.from(ConfigFile.parse("s.yaml", "server:\n  apiPort: 8081\n", Map.of()))).isNull();
  }

  @Test
  void defaultsTheTopicSlotsAndSessionTimeout() {
    ClusterConfig config = ClusterConfig.from(ConfigFile.parse("s.yaml", "cluster:\n  kafka: k1:9092,k2:9092\n", Map.of()));
    assertThat(config).isEqualTo(new ClusterConfig("k1:9092,k2:9092", "scoville-members", 64, Duration.ofSeconds(10)));
  }

  @Test
  void refusesAMissingBrokerAndASessionTimeoutTheBrokerWouldRefuseNamingThePlace() {
    assertThatThrownBy(() -> ClusterConfig.from(ConfigFile.parse("s.yaml", "cluster:\n  topic: members\n", Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("s.yaml:").hasMessageContaining("cluster.kafka is required");
    assertThatThrownBy(() -> ClusterConfig.from(ConfigFile.parse("s.yaml",
        "cluster:\n  kafka: k1:9092\n  sessionTimeout: 2s\n", Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("s.yaml:3:")
        .hasMessageContaining("cluster.sessionTimeout must be from 6s to 5m");
    assertThatThrownBy(() -> ClusterConfig.from(ConfigFile.parse("s.yaml", "cluster:\n  kafka: k1:9092\n  slots: 0\n", Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.slots must be from 1 to 10000");
  }
}
