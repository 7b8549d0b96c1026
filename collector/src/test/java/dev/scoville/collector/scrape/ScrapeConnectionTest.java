package dev.scoville.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScrapeConnectionTest {
  private static final String EXPOSITION = "# TYPE up gauge\n" + "requests_total{route=\"/checkout\"} 12\n".repeat(200);

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<HttpServerRequest> requests = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void readsAGzippedBodyOverOneKeptAliveConnectionAndSendsPrometheussHeaders() {
    Buffer gzipped = gzip(EXPOSITION);
    URI url = serve(new HttpServerOptions(), request -> request.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4").putHeader("Content-Encoding", "gzip").end(gzipped));
    ScrapeConnection connection = ScrapeConnection.to(vertx, url);
    ScrapeBody body = new ScrapeBody();

    for (int i = 0; i < 3; i++) {
      ScrapeResponse response = connection.fetch(body, 1 << 20, 2_000).await();
      assertThat(response.contentType()).isEqualTo("text/plain; version=0.0.4");
      assertThat(new String(response.body().bytes(), 0, response.body().length(), StandardCharsets.UTF_8))
          .isEqualTo(EXPOSITION);
    }

    assertThat(connections.get()).isEqualTo(1);
    HttpServerRequest first = requests.get(0);
    assertThat(first.getHeader("Accept")).isEqualTo(ScrapeConnection.ACCEPT);
    assertThat(first.getHeader("Accept-Encoding")).contains("gzip");
    assertThat(first.getHeader("X-Prometheus-Scrape-Timeout-Seconds")).isEqualTo("2.0");
    assertThat(first.getHeader("Host")).isEqualTo("127.0.0.1:" + url.getPort());
    assertThat(first.uri()).isEqualTo("/metrics?module=http");
  }

  @Test
  void namesTheStatusOfAnAnswerOtherThanOk() {
    URI url = serve(new HttpServerOptions(), request -> request.response().setStatusCode(503).end("down for maintenance"));

    assertThatThrownBy(() -> ScrapeConnection.to(vertx, url).fetch(new ScrapeBody(), 1 << 20, 2_000).await())
        .hasMessage("server returned HTTP status 503 Service Unavailable");
  }

  @Test
  void timesOutAndAnswersTheNextScrapeOnANewConnection() {
    AtomicInteger seen = new AtomicInteger();
    URI url = serve(new HttpServerOptions(), request -> {
      if (seen.incrementAndGet() > 1) {
        request.response().end(EXPOSITION);
      }
    });
    ScrapeConnection connection = ScrapeConnection.to(vertx, url);

    assertThatThrownBy(() -> connection.fetch(new ScrapeBody(), 1 << 20, 300).await()).hasMessage("timed out");
    ScrapeResponse next = connection.fetch(new ScrapeBody(), 1 << 20, 2_000).await();

    assertThat(next.body().length()).isEqualTo(EXPOSITION.length());
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void refusesABodyOverTheLimitWithoutALength() {
    URI url = serve(new HttpServerOptions(), request -> request.response().setChunked(true).end(EXPOSITION));

    assertThatThrownBy(() -> ScrapeConnection.to(vertx, url).fetch(new ScrapeBody(), 1_000, 2_000).await())
        .hasMessage("body exceeds the limit of 1000 bytes");
  }

  @Test
  void scrapesATargetThatClosesItsConnectionAfterEveryAnswer() {
    URI url = serve(new HttpServerOptions(), request -> request.response().end(EXPOSITION)
        .onComplete(done -> request.connection().close()));
    ScrapeConnection connection = ScrapeConnection.to(vertx, url);

    for (int i = 0; i < 3; i++) {
      assertThat(connection.fetch(new ScrapeBody(), 1 << 20, 2_000).await().body().length()).isEqualTo(EXPOSITION.length());
    }

    assertThat(connections.get()).isEqualTo(3);
  }

  @Test
  void refusesAnHttpsTargetWhoseCertificateIsNotTrusted() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    URI plain = serve(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()),
        request -> request.response().end(EXPOSITION));
    URI url = URI.create("https://127.0.0.1:" + plain.getPort() + "/metrics");

    // A long timeout: the first TLS handshake of a JVM on a busy machine takes seconds.
    assertThatThrownBy(() -> ScrapeConnection.to(vertx, url).fetch(new ScrapeBody(), 1 << 20, 30_000).await())
        .hasMessageContaining("PKIX path building failed");
  }

  @Test
  void hasNoConnectionForAUrlItCannotScrape() {
    assertThat(ScrapeConnection.to(vertx, URI.create("ftp://127.0.0.1/metrics"))).isNull();
    assertThat(ScrapeConnection.to(vertx, URI.create("http:metrics"))).isNull();
  }

  private static Buffer gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(bytes.toByteArray());
  }

  private URI serve(HttpServerOptions options, Consumer<HttpServerRequest> handler) {
    HttpServer server = vertx.createHttpServer(options)
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(request -> {
          requests.add(request);
          handler.accept(request);
        })
        .listen(0, "127.0.0.1").await();
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics?module=http");
  }
}
