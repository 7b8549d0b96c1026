package dev.scoville.rules.notify;

import io.prometheus.client.Gauge;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which receivers fail, since when, and which of them page through their fallback route. A
 * receiver fails from its first failed attempt (retry: timeout, 5xx, 429, unreachable) after a
 * success until its next success; a refusal (4xx) is an answer, so it changes nothing. Kept in
 * memory: after a restart a receiver is healthy until an attempt fails again, and the outbox rows
 * already copied to a fallback stay copied.
 */
public final class ReceiverHealth {
  private static final Gauge FALLBACK_ACTIVE = Gauge.build("scoville_receiver_fallback_active",
      "1 while the receiver's notifications go through its fallback route, else 0.").labelNames("receiver").register();
  private static final Gauge FAILING = Gauge.build("scoville_receiver_failing",
      "1 while every attempt to the receiver since its last success failed, else 0.").labelNames("receiver").register();

  private final Map<String, FallbackRoute> routes;
  private final Map<String, Health> health = new TreeMap<>();

  public ReceiverHealth(List<FallbackRoute> routes) {
    this.routes = routes.stream().collect(Collectors.toUnmodifiableMap(FallbackRoute::receiver, Function.identity()));
    this.routes.keySet().forEach(r -> {
      FALLBACK_ACTIVE.labels(r).set(0);
      FAILING.labels(r).set(0);
    });
  }

  /**
   * Takes the outcome of an attempt to {@code receiver}; returns whether this success ends its
   * fallback route (the fallback hands back).
   */
  public synchronized boolean attempted(String receiver, Delivery delivery, Instant now) {
    Health before = health.get(receiver);
    switch (delivery.outcome()) {
      case SENT -> {
        health.remove(receiver);
        FAILING.labels(receiver).set(0);
        FALLBACK_ACTIVE.labels(receiver).set(0);
        return before != null && before.fallbackSince() != null;
      }
      case RETRY -> {
        health.put(receiver, before == null ? new Health(now, delivery.detail(), null)
            : new Health(before.failingSince(), delivery.detail(), before.fallbackSince()));
        FAILING.labels(receiver).set(1);
      }
      case REJECTED -> { }
    }
    return false;
  }

  /** The fallback routes in force at {@code now}: their receiver has failed for at least their {@code after}. */
  public synchronized List<Active> active(Instant now) {
    List<Active> active = new ArrayList<>();
    for (Map.Entry<String, Health> e : health.entrySet()) {
      FallbackRoute route = routes.get(e.getKey());
      Health h = e.getValue();
      if (route == null || now.isBefore(h.failingSince().plus(route.after()))) {
        continue;
      }
      if (h.fallbackSince() == null) {
        h = new Health(h.failingSince(), h.lastError(), now);
        e.setValue(h);
        FALLBACK_ACTIVE.labels(route.receiver()).set(1);
      }
      active.add(new Active(route, h.failingSince(), h.fallbackSince()));
    }
    return active;
  }

  /** Every receiver that failed or has a fallback route, by name. */
  public synchronized List<ReceiverStatus> snapshot() {
    Map<String, ReceiverStatus> all = new TreeMap<>();
    routes.keySet().forEach(r -> all.put(r, new ReceiverStatus(r, ReceiverStatus.State.OK, null, null, null)));
    health.forEach((receiver, h) -> all.put(receiver, h.fallbackSince() == null
        ? new ReceiverStatus(receiver, ReceiverStatus.State.FAILING, h.failingSince(), h.lastError(), null)
        : new ReceiverStatus(receiver, ReceiverStatus.State.FALLBACK, h.failingSince(), h.lastError(),
            routes.get(receiver).to())));
    return List.copyOf(all.values());
  }

  /** A fallback route in force: its receiver fails since {@code failingSince}, the route was taken at {@code since}. */
  public record Active(FallbackRoute route, Instant failingSince, Instant since) {}

  private record Health(Instant failingSince, String lastError, Instant fallbackSince) {}
}
