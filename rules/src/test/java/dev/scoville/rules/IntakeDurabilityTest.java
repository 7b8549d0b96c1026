package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Database;
import dev.scoville.rules.intake.AlertmanagerIntakeRoutes;
import dev.scoville.shop.PagerDutySink;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alertmanager's webhook in a separate JVM, posted to by four senders and killed with SIGKILL the
 * moment a 2xx arrives: every alert answered 2xx has its incident after the restart.
 */
class IntakeDurabilityTest {
  private static final int SENDERS = 4;
  private static final int KILLS = 3;

  @TempDir
  Path dir;

  @Test
  void everyAlertAnswered2xxSurvivesASigkillRightAfterTheAnswer() throws Exception {
    String jdbcUrl = "jdbc:h2:file:" + dir.resolve("scoville");
    Set<Integer> accepted = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    try (PagerDutySink pagerDuty = PagerDutySink.start(0)) {
      for (int kill = 0; kill < KILLS; kill++) {
        Process drill = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), IntakeDrill.class.getName(), jdbcUrl,
            pagerDuty.eventsUri().toString()).redirectErrorStream(true).start();
        URI intake = URI.create("http://127.0.0.1:" + port(drill) + AlertmanagerIntakeRoutes.PATH);
        // Killed by the sender that got the 2xx, before it looks at anything else.
        int killAfter = accepted.size() + 40 + 15 * kill;
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        for (int s = 0; s < SENDERS; s++) {
          senders.submit(() -> {
            while (drill.isAlive()) {
              int n = next.getAndIncrement();
              try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(intake)
                    .header("Authorization", "Bearer " + IntakeDrill.TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(firing(n))).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                  accepted.add(n);
                  if (accepted.size() >= killAfter) {
                    drill.destroyForcibly();
                  }
                }
              } catch (Exception e) {
                return null;
              }
            }
            return null;
          });
        }
        senders.shutdown();
        assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        drill.waitFor();
        assertThat(drill.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      }
    }

    try (Database database = Database.open(jdbcUrl)) {
      Set<Integer> stored = new HashSet<>(database.inTransaction(c -> {
        try (var rs = c.createStatement().executeQuery("SELECT summary FROM incident")) {
          List<Integer> numbers = new java.util.ArrayList<>();
          while (rs.next()) {
            numbers.add(Integer.parseInt(rs.getString(1).substring("alert ".length())));
          }
          return numbers;
        }
      }));
      assertThat(accepted).hasSizeGreaterThanOrEqualTo(KILLS * 40);
      assertThat(stored).containsAll(accepted);
    }
  }

  private static String firing(int n) {
    return """
        {"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DrillAlert",\
        "n":"%d","severity":"critical"},"annotations":{"summary":"alert %d"},\
        "startsAt":"2026-11-30T09:00:00Z","endsAt":"0001-01-01T00:00:00Z"}]}""".formatted(n, n);
  }

  private static int port(Process drill) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(drill.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
      // the drill's own log lines
    }
    assertThat(line).as("the drill took alerts").isNotNull();
    // Keep draining its output so that it never blocks on a full pipe.
    Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
    drain.setDaemon(true);
    drain.start();
    return Integer.parseInt(line.substring(5));
  }
}
