package dev.scoville.rules.notify;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where notifications are sent from: each receiver (a PagerDuty routing key, a Slack channel) has
 * a few threads of its own, so a receiver that hangs or throttles holds up only its own queue.
 * That each key (an incident at one receiver) has one task at a time is {@link OutboxQueue}'s
 * business.
 */
public final class ReceiverLanes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverLanes.class);

  private final int threadsPerReceiver;
  private final Map<String, ExecutorService> lanes = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public ReceiverLanes(int threadsPerReceiver) {
    if (threadsPerReceiver < 1) {
      throw new IllegalArgumentException("threads per receiver must be at least 1, not " + threadsPerReceiver);
    }
    this.threadsPerReceiver = threadsPerReceiver;
  }

  /**
   * Runs {@code work} on {@code receiver}'s threads; the future completes when it ends (at once,
   * without running it, once the lanes are closed). A task that throws is logged: the outbox
   * tries its rows again.
   */
  public CompletableFuture<Void> submit(String receiver, Runnable work) {
    if (closed) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      return CompletableFuture.runAsync(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          LOG.warn("Sending to {} failed; will try again: {}", receiver, e.toString());
        }
      }, lanes.computeIfAbsent(receiver, this::lane));
    } catch (RejectedExecutionException e) {
      // Closed meanwhile.
      return CompletableFuture.completedFuture(null);
    }
  }

  private ExecutorService lane(String receiver) {
    return Executors.newFixedThreadPool(threadsPerReceiver, r -> {
      Thread t = new Thread(r, "notify " + receiver.replace('\n', ' '));
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void close() {
    closed = true;
    lanes.values().forEach(ExecutorService::shutdownNow);
    for (ExecutorService lane : lanes.values()) {
      try {
        lane.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
