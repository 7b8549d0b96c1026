package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.ConfigFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** People start from a copy of the demo file: its sign-in must work from the copy as from the original. */
class CopiedDemoIT {
  @Test
  void aCopyWithTheDemoAndNoUsersMakesUpItsCommander() throws Exception {
    String demo;
    try (InputStream in = CopiedDemoIT.class.getResourceAsStream("/" + Main.DEMO_CONFIG)) {
      demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int apiPort = freePort();
    String copy = demo.replace("uiPort: 8080", "uiPort: " + freePort()).replace("apiPort: 8081", "apiPort: " + apiPort)
        .replace("jdbc:h2:file:./data/scoville", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
        .replace("http://127.0.0.1:8081/", "http://127.0.0.1:" + apiPort + "/");
    try (Scoville app = Scoville.start(ConfigFile.parse("my-shop.yaml", copy, Map.of()))) {
      ConsoleConfig.User commander = app.demoCommander().orElseThrow();
      assertThat(commander.name()).isEqualTo("commander");
      assertThat(app.users()).containsExactly(commander);

      String basic = Base64.getEncoder().encodeToString(("commander:" + commander.password()).getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> incidents = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + apiPort + "/api/incidents")).header("Authorization", "Basic " + basic).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(incidents.statusCode()).isEqualTo(200);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
