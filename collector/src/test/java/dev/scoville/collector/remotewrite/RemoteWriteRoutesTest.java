package dev.scoville.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import dev.scoville.collector.SeriesStore;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteRoutesTest {
  private static final long T0 = 1_764_500_000_000L;

  private final SeriesStore store =
      new SeriesStore(Duration.ofHours(1), Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC));
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private URI write;

  /** One series of a WriteRequest as the sender writes it: label pairs, then (timestamp, value)s. */
  record Written(String[] labels, long[] timestamps, double[] values) {}

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new RemoteWriteRoutes(vertx, store).mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    write = URI.create("http://127.0.0.1:" + server.actualPort() + RemoteWriteRoutes.PATH);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void storesEverySampleOfEverySeriesWithItsOwnTimestampStalenessMarkersIncluded() throws Exception {
    HttpResponse<String> answer = post(Snappy.compress(writeRequest(
        new Written(new String[] {"__name__", "http_requests_total", "job", "shop", "code", "500"},
            new long[] {T0 - 2_000, T0 - 1_000}, new double[] {1, 3}),
        new Written(new String[] {"__name__", "up", "job", "shop"},
            new long[] {T0 - 1_000, T0}, new double[] {1, Sample.STALE_NAN}))));

    assertThat(answer.statusCode()).isEqualTo(204);
    Series requests = only("http_requests_total");
    assertThat(requests.labels()).isEqualTo(Labels.of("__name__", "http_requests_total", "job", "shop", "code", "500"));
    assertThat(requests.timestampAt(0)).isEqualTo(T0 - 2_000);
    assertThat(requests.valueAt(1)).isEqualTo(3);
    Series up = only("up");
    assertThat(Sample.isStale(up.valueAt(1))).isTrue();
  }

  @Test
  void aBatchSentAgainIsAnsweredAsStoredAndStoredOnce() throws Exception {
    byte[] body = Snappy.compress(writeRequest(new Written(new String[] {"__name__", "up", "job", "shop"},
        new long[] {T0 - 1_000}, new double[] {1})));

    assertThat(post(body).statusCode()).isEqualTo(204);
    assertThat(post(body).statusCode()).isEqualTo(204);

    assertThat(only("up").size()).isEqualTo(1);
  }

  @Test
  void aSeriesWithInvalidLabelsIsRefusedByNameAndTheOthersAreStored() throws Exception {
    HttpResponse<String> answer = post(Snappy.compress(writeRequest(
        new Written(new String[] {"__name__", "up", "job", "shop"}, new long[] {T0}, new double[] {1}),
        new Written(new String[] {"__name__", "bad", "0day", "x"}, new long[] {T0}, new double[] {1}),
        new Written(new String[] {"job", "nameless"}, new long[] {T0}, new double[] {1}))));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .contains("timeseries[1] [__name__, bad, 0day, x]: invalid label name \"0day\"")
        .contains("timeseries[2] [job, nameless]: no metric name (label __name__)");
    assertThat(only("up").valueAt(0)).isEqualTo(1);
    assertThat(store.select(List.of(LabelMatcher.equal("__name__", "bad")), 0, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void aBodyThatIsNotSnappyOrNotAWriteRequestIsRefusedSayingWhat() throws Exception {
    HttpResponse<String> uncompressed = post(writeRequest(
        new Written(new String[] {"__name__", "up"}, new long[] {T0}, new double[] {1})));
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(write)
        .POST(HttpRequest.BodyPublishers.ofString("up 1")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(uncompressed.statusCode()).isEqualTo(400);
    assertThat(uncompressed.body()).startsWith("not a snappy-compressed remote write WriteRequest");
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(plain.body()).contains("Content-Encoding: snappy");
    assertThat(store.seriesCount()).isZero();
  }

  private Series only(String metric) {
    List<Series> found = store.select(List.of(LabelMatcher.equal("__name__", metric)), 0, Long.MAX_VALUE);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private HttpResponse<String> post(byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(write)
        .header("Content-Encoding", "snappy")
        .header("Content-Type", "application/x-protobuf")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** prompb.WriteRequest: field 1 TimeSeries{1 Label{1 name, 2 value}, 2 Sample{1 double, 2 int64}}. */
  static byte[] writeRequest(Written... series) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(request);
    for (Written written : series) {
      out.writeByteArray(1, timeSeries(written));
    }
    out.flush();
    return request.toByteArray();
  }

  private static byte[] timeSeries(Written written) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (int i = 0; i < written.labels().length; i += 2) {
      ByteArrayOutputStream label = new ByteArrayOutputStream();
      CodedOutputStream l = CodedOutputStream.newInstance(label);
      l.writeString(1, written.labels()[i]);
      l.writeString(2, written.labels()[i + 1]);
      l.flush();
      out.writeByteArray(1, label.toByteArray());
    }
    for (int i = 0; i < written.timestamps().length; i++) {
      ByteArrayOutputStream sample = new ByteArrayOutputStream();
      CodedOutputStream s = CodedOutputStream.newInstance(sample);
      s.writeDouble(1, written.values()[i]);
      s.writeInt64(2, written.timestamps()[i]);
      s.flush();
      out.writeByteArray(2, sample.toByteArray());
    }
    out.flush();
    return bytes.toByteArray();
  }
}
