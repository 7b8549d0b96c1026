package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Database;
import dev.scoville.shop.PagerDutySink;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A separate JVM writes incidents and their notifications, and is killed with SIGKILL — before it
 * sends anything, or while it retries against a PagerDuty that is down. A restarted sender on
 * the same database then delivers every notification exactly once per dedup key and action.
 */
class OutboxDurabilityTest {
  private static final int INCIDENTS = 5;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"write", "retry"})
  void deliversEveryNotificationOnceAfterAKill(String mode) throws Exception {
    String jdbcUrl = "jdbc:h2:file:" + dir.resolve("scoville");
    int port = freePort();
    URI eventsUrl = URI.create("http://127.0.0.1:" + port + "/v2/enqueue");

    Process drill = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OutboxDrill.class.getName(),
        jdbcUrl, eventsUrl.toString(), String.valueOf(INCIDENTS), mode)
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(drill.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("READY")) {
        // the drill's own log lines
      }
      assertThat(line).as("the drill got ready").isEqualTo("READY");
    }
    drill.destroyForcibly().waitFor();
    assertThat(drill.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    try (Database database = Database.open(jdbcUrl); PagerDutySink pagerDuty = PagerDutySink.start(port)) {
      database.migrate("rules");
      IncidentService incidents = new IncidentService(database, Clock.systemUTC(), EscalationPolicies.defaults(SlackConfig.none()));
      OutboxSender outbox = OutboxDrill.outbox(database, incidents, eventsUrl, Clock.systemUTC());
      for (int pass = 0; pass < 20 && pagerDuty.received().size() < 3 * INCIDENTS; pass++) {
        outbox.sendDue();
        Thread.sleep(100);
      }

      Map<String, List<String>> actionsByKey = pagerDuty.received().stream().collect(Collectors.groupingBy(
          PagerDutySink.ReceivedEvent::dedupKey, Collectors.mapping(PagerDutySink.ReceivedEvent::eventAction, Collectors.toList())));
      assertThat(actionsByKey).hasSize(INCIDENTS);
      assertThat(actionsByKey.values()).allSatisfy(actions ->
          assertThat(actions).containsExactly("trigger", "acknowledge", "resolve"));
    }
  }

  @Test
  void aKilledDrillLeftItsNotificationsPending() throws Exception {
    // The premise of the test above: what the killed process wrote is in the table, unsent.
    String jdbcUrl = "jdbc:h2:file:" + dir.resolve("premise");
    Process drill = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OutboxDrill.class.getName(),
        jdbcUrl, "http://127.0.0.1:9/v2/enqueue", "2", "write").redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(drill.getInputStream(), StandardCharsets.UTF_8))) {
      while (!"READY".equals(out.readLine())) {
        // wait
      }
    }
    drill.destroyForcibly().waitFor();

    try (Database database = Database.open(jdbcUrl)) {
      int pending = database.inTransaction(c -> {
        try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox WHERE status = 'PENDING'")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertThat(pending).isEqualTo(6);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
