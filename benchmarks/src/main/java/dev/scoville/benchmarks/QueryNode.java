package dev.scoville.benchmarks;

import dev.scoville.collector.ScrapeConfig;
import dev.scoville.collector.ScrapeManager;
import dev.scoville.collector.SeriesStore;
import dev.scoville.rules.query.QueryConfig;
import dev.scoville.rules.query.QueryRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Scoville's scrape and query path as {@code Scoville.start} wires them, without the console,
 * rules and database: the series store (6 h retention), the scrape manager, and Prometheus's query
 * API ({@link QueryRoutes}, with its pool and default limits) on a Vert.x server on loopback. The
 * query harness runs it as a process of its own; it prints {@code api <base URL>} once serving and
 * stops when its standard input closes.
 *
 * <p>{@code java -cp benchmarks.jar dev.scoville.benchmarks.QueryNode <interval seconds> <file of
 * target URLs>}
 */
public final class QueryNode {
  private QueryNode() {}

  public static void main(String[] args) throws Exception {
    Duration interval = Duration.ofSeconds(Long.parseLong(args[0]));
    List<URI> targets = Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.isBlank()).map(URI::create).toList();
    Clock clock = Clock.systemUTC();
    SeriesStore store = new SeriesStore(Duration.ofHours(6), clock);
    Vertx vertx = Vertx.vertx();
    ScrapeManager scrapes = new ScrapeManager(vertx, store, clock,
        new ScrapeConfig(interval, interval, List.of(ScrapeConfig.Job.of("bench", targets))));
    Router router = Router.router(vertx);
    new QueryRoutes(vertx, store, clock, QueryConfig.defaults()).mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    scrapes.start();
    System.out.println("api http://127.0.0.1:" + server.actualPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // Serving until the harness closes our input.
    }
    scrapes.close();
    vertx.close().await();
  }
}
