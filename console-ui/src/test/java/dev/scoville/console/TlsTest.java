package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Console and API over HTTPS from PEM files (a self-signed pair for 127.0.0.1 in test resources). */
class TlsTest {
  private static final Path CERTIFICATE = Path.of("src/test/resources/tls/certificate.pem");
  private static final Path KEY = Path.of("src/test/resources/tls/key.pem");

  @Test
  void theConsoleAndTheApiAnswerOverHttpsWithTheConfiguredCertificate() throws Exception {
    try (Scoville app = Scoville.start(config(CERTIFICATE, KEY))) {
      HttpClient https = HttpClient.newBuilder().sslContext(trusting(CERTIFICATE)).build();

      assertThat(app.apiUrl().getScheme()).isEqualTo("https");
      assertThat(app.consoleUrl().getScheme()).isEqualTo("https");
      HttpResponse<String> api = https.send(HttpRequest.newBuilder(app.apiUrl().resolve("healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(200);
      assertThat(api.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
      HttpResponse<String> console = https.send(HttpRequest.newBuilder(app.consoleUrl().resolve("no-such-path")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(console.headers().firstValue("Content-Security-Policy")).hasValue("frame-ancestors 'none'");
      assertThat(console.sslSession()).isPresent();
      // and no plain HTTP on the console's port
      URI plain = URI.create("http://127.0.0.1:" + app.consoleUrl().getPort() + "/");
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void aKeyThatIsNotPkcs8StopsTheStartNamingTheFileNotItsContent(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("rsa.pem");
    Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nTOPSECRET\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> Scoville.start(config(CERTIFICATE, key)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key + ": not a PEM PKCS#8 private key (server.tls.key)")
        .hasMessageNotContaining("TOPSECRET");
  }

  private static ConfigFile config(Path certificate, Path key) throws Exception {
    return ConfigFile.parse("tls.yaml", """
        server:
          uiPort: %d
          apiPort: %d
          tls:
            certificate: %s
            key: %s
        database:
          url: jdbc:h2:mem:%s;DB_CLOSE_DELAY=-1
        pagerduty:
          eventsUrl: http://127.0.0.1:9/v2/enqueue
          routingKey: 0123456789abcdef0123456789abcdef
        """.formatted(freePort(), freePort(), certificate.toAbsolutePath(), key.toAbsolutePath(), UUID.randomUUID()),
        Map.of());
  }

  private static SSLContext trusting(Path certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry("scoville", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
