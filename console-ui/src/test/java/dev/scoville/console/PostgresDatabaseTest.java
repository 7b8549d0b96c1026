package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.scoville.core.ConfigFile;
import dev.scoville.core.PostgresServer;
import dev.scoville.shop.PagerDutySink;
import io.vertx.core.json.JsonArray;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole application on a real PostgreSQL server (Debian's {@code postgresql}, a throwaway
 * cluster; skipped, saying so, where it is not installed): every module's migrations apply, an
 * alert from the webhook becomes an incident that pages and is acknowledged, and a second start
 * on the same database finds its schema and its incident.
 */
class PostgresDatabaseTest {
  private static final String FIRING = """
      {"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DiskFull",\
      "instance":"db-1","severity":"critical"},"annotations":{"summary":"Disk of db-1 is full"},\
      "startsAt":"2026-11-30T08:59:00Z","endsAt":"0001-01-01T00:00:00Z"}]}""";

  private static PostgresServer postgres;
  private static PagerDutySink pagerDuty;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startPostgres() throws Exception {
    Optional<Path> binaries = PostgresServer.binaries();
    assumeTrue(binaries.isPresent(),
        "PostgreSQL is not installed (apt-get install postgresql): PostgreSQL test skipped");
    postgres = PostgresServer.start(binaries.get());
    pagerDuty = PagerDutySink.start(0);
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pagerDuty != null) {
      pagerDuty.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void theApplicationRunsOnPostgresqlAndFindsItsIncidentsAgainAfterARestart() throws Exception {
    long id;
    try (Scoville scoville = start()) {
      HttpResponse<String> accepted = send(scoville, "/api/v1/alerts/alertmanager", "Bearer intake-token", FIRING);
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
      JsonArray incidents = new JsonArray(send(scoville, "/api/incidents", alice(), null).body());
      assertThat(incidents).hasSize(1);
      id = incidents.getJsonObject(0).getLong("id");
      assertThat(send(scoville, "/api/incidents/" + id + "/acknowledge", alice(), "").statusCode()).isEqualTo(200);
      awaitPages(2);
    }
    assertThat(pagerDuty.received()).extracting(PagerDutySink.ReceivedEvent::eventAction)
        .containsExactly("trigger", "acknowledge");

    try (Scoville again = start()) {
      JsonArray incidents = new JsonArray(send(again, "/api/incidents", alice(), null).body());
      assertThat(incidents).hasSize(1);
      assertThat(incidents.getJsonObject(0).getLong("id")).isEqualTo(id);
      assertThat(incidents.getJsonObject(0).getString("state")).isEqualTo("acknowledged");
    }
  }

  private static Scoville start() throws Exception {
    String yaml = """
        server:
          uiPort: %d
          apiPort: %d
        database:
          url: %s
          user: %s
        users:
          - name: alice
            password: ${ALICE_PASSWORD}
            role: commander
        pagerduty:
          eventsUrl: %s
          routingKey: 0123456789abcdef0123456789abcdef
        intake:
          token: intake-token
        """.formatted(freePort(), freePort(), postgres.jdbcUrl(), PostgresServer.USER, pagerDuty.eventsUri());
    return Scoville.start(ConfigFile.parse("postgres.yaml", yaml, Map.of("ALICE_PASSWORD", "secret")));
  }

  private void awaitPages(int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (pagerDuty.received().size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
  }

  private static String alice() {
    return "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> send(Scoville scoville, String path, String authorization, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(scoville.apiUrl().resolve(path))
        .header("Authorization", authorization);
    if (body != null) {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
