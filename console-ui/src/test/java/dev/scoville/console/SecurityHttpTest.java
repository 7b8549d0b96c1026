package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.ConfigFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * A started Scoville, spoken to over plain HTTP: passwords with every YAML-special character work
 * and never reach a log line; guessing over HTTP Basic is throttled; every response, console and
 * API, carries the security headers.
 */
class SecurityHttpTest {
  /** What would break or be cut if it were pasted into the YAML text. */
  static final List<String> PASSWORDS = List.of("pass #word", "pass: word", "@leading", "dou\"ble", "sin'gle",
      "{brace}", "per%cent", "back\\slash", "nön-ÄSCII-密码", "- dash", "*star", "&anchor", "!tag", "|pipe",
      ">fold", "[bracket", "trailing-space ");
  private static final String HASHED_PASSWORD = "hashed: #secret";

  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static PrintStream originalErr;
  private static Scoville scoville;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    originalErr = System.err;
    System.setErr(new PrintStream(new TeeStream(originalErr, LOG), true, StandardCharsets.UTF_8));
    StringBuilder users = new StringBuilder("users:\n");
    Map<String, String> environment = new HashMap<>();
    for (int i = 0; i < PASSWORDS.size(); i++) {
      users.append("  - name: user").append(i).append("\n    password: ${PASSWORD_").append(i).append("}\n");
      environment.put("PASSWORD_" + i, PASSWORDS.get(i));
    }
    users.append("  - name: hashed\n    password: '").append(HashPassword.hash(HASHED_PASSWORD)).append("'\n");
    String yaml = """
        server:
          uiPort: %d
          apiPort: %d
        database:
          url: jdbc:h2:mem:%s;DB_CLOSE_DELAY=-1
        demo:
          enabled: true
        pagerduty:
          routingKey: 0123456789abcdef0123456789abcdef
        ofrep:
          token: test-token
        intake:
          token: intake-token
        events:
          beacon:
            token: beacon-token
            allowedOrigins: [http://shop.test]
        actions:
          - name: maintenance-page
            title: Show the maintenance page
            kind: kill_switch
            flag: maintenance
            value: true
            risk: low
        """.formatted(freePort(), freePort(), UUID.randomUUID()) + users;
    scoville = Scoville.start(ConfigFile.parse("security.yaml", yaml, environment));
  }

  @AfterAll
  static void stop() {
    if (scoville != null) {
      scoville.close();
    }
    System.setErr(originalErr);
  }

  @Test
  void everyPasswordWorksWholeOverHttpBasicAndNoneIsEverLogged() throws Exception {
    for (int i = 0; i < PASSWORDS.size(); i++) {
      // a cut password (what substitution into the text used to make of " #") is refused
      String cut = PASSWORDS.get(i).substring(0, PASSWORDS.get(i).length() - 1);
      assertThat(get("/api/incidents", "user" + i, cut).statusCode()).as(cut).isEqualTo(401);
      // and the whole one works (its success clears the failure count of this address)
      assertThat(get("/api/incidents", "user" + i, PASSWORDS.get(i)).statusCode()).as(PASSWORDS.get(i)).isEqualTo(200);
    }
    assertThat(get("/api/incidents", "hashed", HASHED_PASSWORD).statusCode()).isEqualTo(200);
    assertThat(get("/api/incidents", "hashed", "hashed: ").statusCode()).isEqualTo(401);

    String log = LOG.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("Sign-in failed (api): user 'user0'")
        .contains("Plaintext passwords in the configuration for user0, user1");
    for (String password : PASSWORDS) {
      assertThat(log).doesNotContain(password.strip());
    }
    assertThat(log).doesNotContain(HASHED_PASSWORD);
  }

  @Test
  void aFailedSignInIsLoggedWithNameAndAddressAndCountedForPrometheus() throws Exception {
    assertThat(get("/api/incidents", "nobody\nINFO forged", "guess").statusCode()).isEqualTo(401);

    assertThat(LOG.toString(StandardCharsets.UTF_8))
        .contains("WARN SignIn - Sign-in failed (api): user 'nobody\\u000aINFO forged' from '127.0.0.1', 1 failure(s) in a row");
    assertThat(get("/metrics", null, null).body())
        .containsPattern("scoville_signin_failures_total\\{via=\"api\",reason=\"wrong_password\",} [1-9]");
  }

  @Test
  void aBodyThatIsNotValidUtf8GetsA400Everywhere() throws Exception {
    // "/" written overlong (0xC0 0xAF): a decoder that replaces would store U+FFFD as if sent
    byte[] overlong = {'[', '{', '"', 'a', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}', ']'};
    byte[] overlongObject = {'{', '"', 'r', 'e', 'a', 's', 'o', 'n', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
    String alice = "Basic " + Base64.getEncoder().encodeToString(("user2:" + PASSWORDS.get(2)).getBytes(StandardCharsets.UTF_8));

    assertThat(post("/api/v1/alerts/alertmanager", "Bearer intake-token", overlongObject).statusCode()).isEqualTo(400);
    assertThat(post("/api/v1/alerts/grafana", "Bearer intake-token", overlongObject).statusCode()).isEqualTo(400);
    HttpResponse<String> ofrep = post("/ofrep/v1/evaluate/flags", "Bearer test-token", overlongObject);
    assertThat(ofrep.statusCode()).isEqualTo(400);
    assertThat(ofrep.body()).contains("not valid UTF-8");
    HttpResponse<String> silence = post("/api/silences", alice, overlongObject);
    assertThat(silence.statusCode()).isEqualTo(400);
    assertThat(silence.body()).contains("body: not valid UTF-8");
    assertThat(post("/api/incidents/1/resolve", alice, overlongObject).body()).contains("body: not valid UTF-8");
    assertThat(post("/api/v1/beacon?token=beacon-token", null, overlong).statusCode()).isEqualTo(400);
  }

  @Test
  void remoteWriteTakesSamplesOnlyFromASignedInSender() throws Exception {
    String user2 = "Basic " + Base64.getEncoder().encodeToString(("user2:" + PASSWORDS.get(2)).getBytes(StandardCharsets.UTF_8));
    byte[] emptyWriteRequest = Snappy.compress(new byte[0]);

    assertThat(remoteWrite(null, emptyWriteRequest).statusCode()).isEqualTo(401);
    assertThat(remoteWrite(user2, emptyWriteRequest).statusCode()).isEqualTo(204);
  }

  private HttpResponse<String> remoteWrite(String authorization, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(scoville.apiUrl().resolve("/api/v1/write"))
        .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void apiResponsesCarryTheSecurityHeadersEvenA401AndA404() throws Exception {
    for (HttpResponse<String> response : List.of(get("/api/incidents", null, null), get("/metrics", null, null),
        get("/no-such-path", null, null), get("/api/incidents", "user2", PASSWORDS.get(2)))) {
      assertSecurityHeaders(response);
    }
  }

  @Test
  void consoleResponsesCarryTheSecurityHeaders() throws Exception {
    for (String path : List.of("/", "/login", "/no-such-path")) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(scoville.consoleUrl().resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertSecurityHeaders(response);
    }
  }

  private static void assertSecurityHeaders(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Security-Policy")).as(response.uri().toString())
        .hasValue("frame-ancestors 'none'");
    assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
  }

  private HttpResponse<String> get(String path, String user, String password) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(scoville.apiUrl().resolve(path));
    if (user != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String authorization, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(scoville.apiUrl().resolve(path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Writes to the real stderr and keeps a copy for the assertions. */
  private static final class TeeStream extends java.io.OutputStream {
    private final PrintStream console;
    private final ByteArrayOutputStream copy;

    TeeStream(PrintStream console, ByteArrayOutputStream copy) {
      this.console = console;
      this.copy = copy;
    }

    @Override
    public synchronized void write(int b) {
      console.write(b);
      copy.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      console.write(b, off, len);
      copy.write(b, off, len);
    }
  }
}
