package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Formats refused when the file is read, each naming its place, none showing a secret. */
class ConsoleConfigTest {
  @Test
  void aShortPagerDutyRoutingKeyStopsTheStartWithoutShowingTheKey() {
    assertThatThrownBy(() -> Scoville.start(ConfigFile.parse("s.yaml", """
        pagerduty:
          eventsUrl: https://events.pagerduty.com/v2/enqueue
          routingKey: ${PAGERDUTY_ROUTING_KEY}
        """, Map.of("PAGERDUTY_ROUTING_KEY", "abcde"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("s.yaml:3:15: pagerduty.routingKey: a PagerDuty routing (integration) key is 32 letters and digits;"
            + " this one has 5 characters");
  }

  @Test
  void aSlackChannelSlackWouldRefuseAndAUrlThatIsNotHttpStopTheStart() {
    assertThatThrownBy(() -> Scoville.start(ConfigFile.parse("s.yaml", """
        slack:
          channel: War Room
        """, Map.of())))
        .hasMessageStartingWith("s.yaml:2:12: slack.channel: 'War Room' is not a Slack channel");
    assertThatThrownBy(() -> Scoville.start(ConfigFile.parse("s.yaml", """
        escalation:
          - name: payments
            levels:
              - notify: slack:payments
                after: 0s
        """, Map.of())))
        .hasMessageStartingWith("s.yaml:4:17: escalation[0].levels[0].notify: 'payments' is not a Slack channel");
    assertThatThrownBy(() -> Scoville.start(ConfigFile.parse("s.yaml", """
        pagerduty:
          eventsUrl: events.pagerduty.com/v2/enqueue
        """, Map.of())))
        .hasMessage("s.yaml:2:14: pagerduty.eventsUrl: must be an http:// or https:// URL with a host");
  }

  @Test
  void portsPublicUrlAndFramersAreCheckedWhereTheyStand() {
    assertThatThrownBy(() -> server("server:\n  uiPort: 70000\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("s.yaml:2:11: server.uiPort: must be a port, 1 to 65535, got 70000");
    assertThatThrownBy(() -> server("server:\n  publicUrl: war-room.example.com\n"))
        .hasMessage("s.yaml:2:14: server.publicUrl: must be an http:// or https:// URL with a host");
    assertThatThrownBy(() -> server("server:\n  frameAncestors: ['*']\n"))
        .hasMessageStartingWith("s.yaml:2:19: server.frameAncestors: '*' is not an origin");
    assertThatThrownBy(() -> server("server:\n  sessionIdleTimeout: 10s\n"))
        .hasMessage("s.yaml:2:23: server.sessionIdleTimeout: must be at least 1m");
  }

  @Test
  void configuredFramersAreListedInTheCspAndXFrameOptionsIsLeftOut() {
    ConsoleConfig.Server server = server("server:\n  frameAncestors: [\"'self'\", https://wiki.example.com]\n");

    assertThat(SecurityHeaders.of(server).values())
        .containsEntry("Content-Security-Policy", "frame-ancestors 'self' https://wiki.example.com")
        .doesNotContainKey("X-Frame-Options")
        .containsEntry("X-Content-Type-Options", "nosniff");
    assertThat(server.frameAncestors()).isEqualTo(List.of("'self'", "https://wiki.example.com"));
  }

  private static ConsoleConfig.Server server(String yaml) {
    return ConfigFile.parse("s.yaml", yaml, Map.of()).section("server", ConsoleConfig.Server.class, null);
  }
}
