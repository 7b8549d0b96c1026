package dev.scoville.collector.events;

import io.prometheus.client.Counter;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts refused events by source and reason, and logs them at most once per ten seconds per source
 * (a broken producer can send thousands a second; the log would drown the war room's).
 */
final class RejectedEvents {
  private static final Logger LOG = LoggerFactory.getLogger(RejectedEvents.class);
  private static final Counter REJECTED =
      Counter.build(
              "scoville_events_rejected_total",
              "Events refused as invalid, by source (kafka, beacon) and reason (e.g."
                  + " missing_session).")
          .labelNames("source", "reason")
          .register();
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final String source;
  private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
  private final AtomicLong unlogged = new AtomicLong();

  RejectedEvents(String source) {
    this.source = source;
  }

  /** {@code where} names the event: a topic/partition@offset, or a beacon request and index. */
  void record(String where, InvalidEventException problem) {
    REJECTED.labels(source, problem.reason()).inc();
    long now = System.nanoTime();
    long last = lastLogNanos.get();
    if (now - last >= LOG_EVERY_NANOS && lastLogNanos.compareAndSet(last, now)) {
      long skipped = unlogged.getAndSet(0);
      LOG.warn(
          "refused event {}: {}{}",
          where,
          problem.getMessage(),
          skipped == 0 ? "" : " (" + skipped + " more refused since the last report)");
    } else {
      unlogged.incrementAndGet();
    }
  }
}
