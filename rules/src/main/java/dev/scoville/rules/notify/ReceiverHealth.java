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
 * success until its next success; a refusal (4xx) is an answer, so it changes nothing. Each change
 * of state (failing, fallback taken, healthy again) is handed to a saver, so that a restart starts
 * from the state before it; the last error's text changes with every failed attempt and is saved
 * only with those changes.
 */
public final class ReceiverHealth {
  private static final Gauge FALLBACK_ACTIVE = Gauge.build("scoville_receiver_fallback_active",
      "1 while the receiver's notifications go through its fallback route, else 0.").labelNames("receiver").register();
  private static final Gauge FAILING = Gauge.build("scoville_receiver_failing",
      "1 while every attempt to the receiver since its last success failed, else 0.").labelNames("receiver").register();

  private final Map<String, FallbackRoute> routes;
  private final Map<String, Health> health = new TreeMap<>();
  private final Saver saver;

  /** Starts from {@code restored}; {@code saver} is told each change of state, in order, under this object's lock. */
  public ReceiverHealth(List<FallbackRoute> routes, List<Failing> restored, Saver saver) {
    this.routes = routes.stream().collect(Collectors.toUnmodifiableMap(FallbackRoute::receiver, Function.identity()));
    this.saver = saver;
    this.routes.keySet().forEach(r -> {
      FALLBACK_ACTIVE.labels(r).set(0);
      FAILING.labels(r).set(0);
    });
    for (Failing f : restored) {
      // A route removed from the configuration since is no longer taken.
      Instant fallbackSince = this.routes.containsKey(f.receiver()) ? f.fallbackSince() : null;
      health.put(f.receiver(), new Health(f.failingSince(), f.lastError(), fallbackSince));
      FAILING.labels(f.receiver()).set(1);
      FALLBACK_ACTIVE.labels(f.receiver()).set(fallbackSince == null ? 0 : 1);
    }
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
        if (before == null) {
          return false;
        }
        saver.healthy(receiver);
        return before.fallbackSince() != null;
      }
      case RETRY -> {
        health.put(receiver, before == null ? new Health(now, delivery.detail(), null)
            : new Health(before.failingSince(), delivery.detail(), before.fallbackSince()));
        FAILING.labels(receiver).set(1);
        if (before == null) {
          saver.failing(new Failing(receiver, now, delivery.detail(), null));
        }
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
        saver.failing(new Failing(e.getKey(), h.failingSince(), h.lastError(), h.fallbackSince()));
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

  /** Keeps receivers' health across restarts. Called under the health's lock: it must not block. */
  public interface Saver {
    void failing(Failing failing);

    void healthy(String receiver);
  }

  /** A receiver failing since {@code failingSince}, paging through its fallback since {@code fallbackSince} (or null). */
  public record Failing(String receiver, Instant failingSince, String lastError, Instant fallbackSince) {}

  /** A fallback route in force: its receiver fails since {@code failingSince}, the route was taken at {@code since}. */
  public record Active(FallbackRoute route, Instant failingSince, Instant since) {}

  private record Health(Instant failingSince, String lastError, Instant fallbackSince) {}
}
