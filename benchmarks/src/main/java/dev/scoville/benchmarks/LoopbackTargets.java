package dev.scoville.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback HTTP targets, each on its own port, serving {@link ExporterPayload} with values that
 * change every {@code tickMillis}. A target renders its payload once per tick, so serving costs
 * the harness little and nothing of it is counted against the scrapers.
 */
final class LoopbackTargets implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final List<HttpServer> servers = new ArrayList<>();
  private final List<URI> urls = new ArrayList<>();

  LoopbackTargets(int count, long tickMillis) {
    for (int i = 0; i < count; i++) {
      int target = i;
      long[] renderedTick = {-1};
      Buffer[] rendered = new Buffer[1];
      HttpServer server = vertx.createHttpServer().requestHandler(request -> {
        long tick = System.currentTimeMillis() / tickMillis;
        if (tick != renderedTick[0]) {
          rendered[0] = Buffer.buffer(ExporterPayload.render(target, tick));
          renderedTick[0] = tick;
        }
        request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(rendered[0]);
      }).listen(0, "127.0.0.1").await();
      servers.add(server);
      urls.add(URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics"));
    }
  }

  List<URI> urls() {
    return urls;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
