package dev.scoville.rules;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A loopback target both Prometheus and Scoville scrape for the differential test. Every sample
 * carries an explicit timestamp: the start of the current two-second bucket, so that two
 * scrapers scraping every half second store exactly the same samples whatever their phase (a
 * scrape may come up to 1.5 s late without a bucket being missed). Values are
 * functions of the bucket number {@code k} (0 at start): counters at several rates, one that
 * resets at {@code k = 6}, gauges, two classic histograms, an info metric for many-to-one joins,
 * and special values. Until {@link #arm()} it serves only {@code target_armed 0}, so that neither
 * scraper starts with a head start of samples the other lacks.
 */
final class DifferentialTarget implements AutoCloseable {
  static final long BUCKET_MILLIS = 2000;

  private final HttpServer server;
  private volatile long firstBucket = Long.MAX_VALUE;

  DifferentialTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "differential-target");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/metrics", exchange -> {
      byte[] body = exposition(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  /** Data starts with the next bucket. */
  void arm(long nowMillis) {
    firstBucket = Math.floorDiv(nowMillis, BUCKET_MILLIS) + 1;
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** When bucket {@code k} starts, in Unix milliseconds. */
  long bucketStart(long k) {
    return (firstBucket + k) * BUCKET_MILLIS;
  }

  String exposition(long nowMillis) {
    long bucket = Math.floorDiv(nowMillis, BUCKET_MILLIS);
    long k = bucket - firstBucket;
    long t = bucket * BUCKET_MILLIS;
    StringBuilder out = new StringBuilder("target_armed ").append(k >= 0 ? 1 : 0).append('\n');
    if (k < 0) {
      return out.toString();
    }
    out.append("# TYPE http_requests_total counter\n");
    line(out, "http_requests_total{code=\"200\",path=\"/a\"}", 10 * k, t);
    line(out, "http_requests_total{code=\"500\",path=\"/a\"}", k, t);
    line(out, "http_requests_total{code=\"200\",path=\"/b\"}", 7 * k + k % 3, t);
    line(out, "http_requests_total{code=\"500\",path=\"/b\"}", 2 * k, t);
    out.append("# TYPE restarts_total counter\n");
    line(out, "restarts_total{pod=\"p\"}", k < 6 ? 5 * k : 3 * (k - 6), t);
    out.append("# TYPE temperature gauge\n");
    line(out, "temperature{room=\"a\"}", 20 + (k * 7) % 5, t);
    line(out, "temperature{room=\"b\"}", 18.5 - (k % 4) * 0.25, t);
    out.append("# TYPE latency_seconds histogram\n");
    histogram(out, "/a", new long[] {5, 8, 9, 10}, 3.3, k, t);
    histogram(out, "/b", new long[] {2, 5, 9, 10}, 6.1, k, t);
    out.append("# TYPE node_load gauge\n");
    line(out, "node_load{node=\"a\"}", 1.5, t);
    line(out, "node_load{node=\"b\"}", 3 + k % 2, t);
    out.append("# TYPE node_meta gauge\n");
    line(out, "node_meta{node=\"a\",rack=\"r1\"}", 1, t);
    line(out, "node_meta{node=\"b\",rack=\"r2\"}", 1, t);
    out.append("# TYPE node_meta_twice gauge\n");
    line(out, "node_meta_twice{node=\"a\",rack=\"r1\"}", 1, t);
    line(out, "node_meta_twice{node=\"a\",rack=\"r2\"}", 1, t);
    if (k < 8) {
      // Leaves the exposition: with explicit timestamps, no staleness marker in Prometheus.
      line(out, "leaving{pod=\"q\"}", 40 + k, t);
    }
    out.append("# TYPE special gauge\n");
    out.append("special{kind=\"nan\"} NaN ").append(t).append('\n');
    out.append("special{kind=\"inf\"} +Inf ").append(t).append('\n');
    out.append("special{kind=\"ninf\"} -Inf ").append(t).append('\n');
    out.append("special{kind=\"negzero\"} -0 ").append(t).append('\n');
    out.append("special{kind=\"tiny\"} 1e-300 ").append(t).append('\n');
    out.append("special{kind=\"big\"} 1.7e+308 ").append(t).append('\n');
    out.append("special{kind=\"neg\"} -3.5 ").append(t).append('\n');
    out.append("special{kind=\"epoch\"} 1764547200.5 ").append(t).append('\n');
    return out.toString();
  }

  private static void histogram(StringBuilder out, String path, long[] perBucket, double sum, long k, long t) {
    String[] bounds = {"0.1", "0.5", "1", "+Inf"};
    for (int i = 0; i < bounds.length; i++) {
      line(out, "latency_seconds_bucket{path=\"" + path + "\",le=\"" + bounds[i] + "\"}", perBucket[i] * k, t);
    }
    line(out, "latency_seconds_sum{path=\"" + path + "\"}", sum * k, t);
    line(out, "latency_seconds_count{path=\"" + path + "\"}", perBucket[3] * k, t);
  }

  private static void line(StringBuilder out, String series, double value, long t) {
    out.append(series).append(' ').append(value).append(' ').append(t).append('\n');
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
