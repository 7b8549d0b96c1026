package dev.scoville.collector.remotewrite;

import dev.scoville.collector.SeriesStore;
import io.prometheus.client.Counter;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

/**
 * Prometheus's remote write 1.0 receiver, {@code POST /api/v1/write}: a snappy-compressed
 * protobuf {@code WriteRequest}, as Prometheus's and Grafana Agent's {@code remote_write} send it.
 * It sits under {@code /api/}, so the sender signs in as a console user with HTTP Basic ({@code
 * basic_auth} in {@code remote_write}).
 *
 * <p>Answers as Prometheus's own receiver does where senders care: 204 when stored, 400 (which
 * senders do not retry) for a body that is not a snappy WriteRequest. Unlike Prometheus, a
 * sample not newer than its series' last one is dropped and counted rather than failing the
 * request, so that a batch resent after a lost answer is not refused forever; and a series with
 * invalid labels is refused on its own (400 naming it) while the rest of the request is stored.
 */
public final class RemoteWriteRoutes {
  public static final String PATH = "/api/v1/write";
  /** Far above a sender's batch (Prometheus sends at most a few thousand samples a request). */
  private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
  private static final int REFUSALS_SHOWN = 10;
  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteRoutes.class);
  private static final Counter SAMPLES = Counter.build()
      .name("scoville_remote_write_samples_total")
      .help("Samples received by remote write, by outcome: appended, out_of_order (not newer than the"
          + " series' last sample), refused (the series' labels were invalid), native_histogram (not supported)")
      .labelNames("outcome")
      .register();

  private final Vertx vertx;
  private final SeriesStore store;
  private final WriteRequestDecoder decoder = new WriteRequestDecoder();

  public RemoteWriteRoutes(Vertx vertx, SeriesStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** Adds the route; mount it after the API's sign-in handler. */
  public void mount(Router router) {
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::write);
  }

  private void write(RoutingContext ctx) {
    String encoding = ctx.request().getHeader("Content-Encoding");
    if (encoding == null || !encoding.equalsIgnoreCase("snappy")) {
      refuse(ctx, "remote write 1.0 bodies are snappy-compressed (Content-Encoding: snappy), got "
          + (encoding == null ? "none" : encoding));
      return;
    }
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String from = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().toString();
    // Decompressing and decoding a batch is CPU work proportional to the body: off the event loop.
    vertx.executeBlocking(() -> store(body, from), false).onComplete(done -> {
      if (done.failed()) {
        refuse(ctx, done.cause().getMessage());
      } else if (done.result().isEmpty()) {
        ctx.response().setStatusCode(204).end();
      } else {
        refuse(ctx, String.join("\n", done.result()));
      }
    });
  }

  /** Stores what is valid; returns the refusals to report (empty when all was taken). */
  private List<String> store(byte[] body, String from) throws IOException {
    WriteRequestDecoder.Decoded request;
    try {
      request = decoder.decode(Snappy.uncompress(body));
    } catch (IOException e) {
      throw new IOException("not a snappy-compressed remote write WriteRequest: " + e.getMessage(), e);
    }
    int appended = store.append(request.samples());
    SAMPLES.labels("appended").inc(appended);
    SAMPLES.labels("out_of_order").inc(request.samples().size() - appended);
    SAMPLES.labels("native_histogram").inc(request.histogramsSkipped());
    List<String> refused = request.refused();
    if (refused.isEmpty()) {
      return List.of();
    }
    SAMPLES.labels("refused").inc(refused.size());
    LOG.warn("remote write from {}: {} series refused, first: {}", from, refused.size(), refused.get(0));
    return refused.size() <= REFUSALS_SHOWN ? refused : List.copyOf(refused.subList(0, REFUSALS_SHOWN));
  }

  private static void refuse(RoutingContext ctx, String reason) {
    ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8").end(reason + "\n");
  }
}
