package dev.scoville.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What one loopback target of the scrape harness exposes: 1,012 series of a web tier's shape
 * (request counters by method, route and code; a 10-bucket latency histogram by method and route;
 * queue depth gauges; a few process gauges). Counters grow and gauges move every {@code tick}, so
 * that each scrape appends new values, as a real exporter's would.
 */
final class ExporterPayload {
  static final int SERIES = 1_012;
  private static final String[] METHODS = {"GET", "POST"};
  private static final String[] CODES = {"200", "302", "404", "500"};
  private static final int ROUTES = 25;
  private static final int QUEUES = 150;
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

  private ExporterPayload() {}

  static byte[] render(int target, long tick) {
    StringBuilder out = new StringBuilder(96 * SERIES);
    out.append("# HELP http_requests_total Requests served.\n# TYPE http_requests_total counter\n");
    for (String method : METHODS) {
      for (int route = 0; route < ROUTES; route++) {
        for (int c = 0; c < CODES.length; c++) {
          long count = (tick + 1) * (long) (1 + (route * 7 + c * 13 + target) % 50) * (c == 0 ? 20 : 1);
          out.append("http_requests_total{method=\"").append(method).append("\",route=\"/api/v1/resource")
              .append(route).append("\",code=\"").append(CODES[c]).append("\"} ").append(count).append('\n');
        }
      }
    }
    out.append("# HELP http_request_duration_seconds Request latency.\n# TYPE http_request_duration_seconds histogram\n");
    for (String method : METHODS) {
      for (int route = 0; route < ROUTES; route++) {
        String labels = "method=\"" + method + "\",route=\"/api/v1/resource" + route + "\"";
        long total = (tick + 1) * (40 + route);
        for (int b = 0; b < BUCKETS.length; b++) {
          out.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(BUCKETS[b])
              .append("\"} ").append(total * (b + 1) / (BUCKETS.length + 1)).append('\n');
        }
        out.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ").append(total).append('\n');
        out.append("http_request_duration_seconds_sum{").append(labels).append("} ")
            .append(String.format(Locale.ROOT, "%.3f", total * 0.0421)).append('\n');
        out.append("http_request_duration_seconds_count{").append(labels).append("} ").append(total).append('\n');
      }
    }
    out.append("# HELP queue_depth Messages waiting.\n# TYPE queue_depth gauge\n");
    for (int q = 0; q < QUEUES; q++) {
      out.append("queue_depth{queue=\"orders-").append(q).append("\"} ").append((tick * 31 + q * 17 + target) % 97).append('\n');
    }
    out.append("# TYPE process_gauge gauge\n");
    for (int g = 0; g < 12; g++) {
      out.append("process_gauge{kind=\"g").append(g).append("\"} ")
          .append(String.format(Locale.ROOT, "%.2f", Math.sin(tick + g) * 100)).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
