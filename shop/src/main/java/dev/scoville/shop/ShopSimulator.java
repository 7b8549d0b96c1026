package dev.scoville.shop;

import dev.scoville.shop.Scenario.Phase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Simulates shoppers visiting a hot-sauce shop: each visit walks some way down the funnel (home,
 * product, cart, checkout, payment) and leaves metrics and events behind. Deterministic for a
 * given seed and sequence of ticks, so tests can replay it.
 */
public final class ShopSimulator {
  static final List<String> ROUTES = List.of("/", "/product", "/cart", "/checkout", "/payment");
  private static final List<String> PROVIDERS = List.of("card-gateway", "wallet");

  private final Scenario scenario;
  private final double baselineVisitsPerSecond;
  private final Clock clock;
  private final Instant start;
  private final Random random;
  private final ShopMetrics metrics = new ShopMetrics();
  private final List<Consumer<ShopEvent>> eventListeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, String> flags = Map.of();
  private double pendingVisits;
  private long nextId;

  public ShopSimulator(Scenario scenario, double baselineVisitsPerSecond, Clock clock, long seed) {
    this.scenario = scenario;
    this.baselineVisitsPerSecond = baselineVisitsPerSecond;
    this.clock = clock;
    this.start = clock.instant();
    this.random = new Random(seed);
    metrics.dbConnectionsMax.set(50);
  }

  public void onEvent(Consumer<ShopEvent> listener) {
    eventListeners.add(listener);
  }

  /**
   * The kill switches the shop obeys, as its feature-flag client last read them: {@code
   * payment-provider: backup} sends card payments to the backup gateway, which the fault spares;
   * {@code simplified-site: true} serves lighter pages, faster under load.
   */
  public void useFlags(Map<String, String> flags) {
    this.flags = Map.copyOf(flags);
  }

  public Phase phase() {
    return scenario.phaseAt(Duration.between(start, clock.instant()));
  }

  io.prometheus.client.CollectorRegistry registry() {
    return metrics.registry;
  }

  /** Simulates the visits of the last {@code elapsed} of wall time. */
  public synchronized void tick(Duration elapsed) {
    Phase phase = phase();
    double visitsPerSecond = baselineVisitsPerSecond * phase.trafficFactor();
    pendingVisits += visitsPerSecond * elapsed.toMillis() / 1000.0;
    int visits = (int) pendingVisits;
    pendingVisits -= visits;
    for (int i = 0; i < visits; i++) {
      visit(phase);
    }
    double load = visitsPerSecond / (baselineVisitsPerSecond * 2.5);
    metrics.cpu.set(clamp(0.2 + 0.6 * load + noise(0.03), 0, 1));
    metrics.dbConnections.set(Math.round(clamp(8 + 30 * load + noise(2), 0, 50)));
  }

  private void visit(Phase phase) {
    String session = "s-" + (++nextId);
    Instant now = clock.instant();
    serve("/", phase, session, now);
    if (random.nextDouble() > 0.7) {
      return;
    }
    serve("/product", phase, session, now);
    if (random.nextDouble() > 0.35) {
      return;
    }
    serve("/cart", phase, session, now);
    metrics.carts.inc();
    String cart = "c-" + nextId;
    emit("cart_created", now, Map.of("session", session, "cart", cart));
    if (random.nextDouble() > 0.6) {
      return;
    }
    double checkoutSeconds = serve("/checkout", phase, session, now);
    metrics.checkouts.inc();
    emit("checkout_started", now, Map.of("session", session, "cart", cart));
    String provider = PROVIDERS.get(random.nextDouble() < 0.8 ? 0 : 1);
    if (provider.equals("card-gateway") && "backup".equals(flags.get("payment-provider"))) {
      provider = "backup-gateway";
    }
    boolean gatewayDown = phase.faulty() && provider.equals("card-gateway");
    boolean paid = random.nextDouble() > (gatewayDown ? 0.45 : 0.01);
    double paymentSeconds = serve("/payment", phase, session, now, paid ? "200" : "502");
    metrics.payments.labels(provider, paid ? "success" : "failure").inc();
    String order = "o-" + nextId;
    emit("payment_result", now, Map.of("order", order, "provider", provider, "outcome", paid ? "success" : "failure"));
    if (paid) {
      double amount = Math.round((8 + random.nextDouble() * 40) * 100) / 100.0;
      metrics.orders.inc();
      metrics.orderValue.inc(amount);
      long completionMs = Math.round((checkoutSeconds + paymentSeconds) * 1000) + 20_000 + random.nextInt(40_000);
      emit("order_placed", now, Map.of("session", session, "order", order, "amount", amount,
          "currency", "EUR", "completion_ms", completionMs));
    }
  }

  private double serve(String route, Phase phase, String session, Instant now) {
    boolean error = random.nextDouble() < 0.002;
    return serve(route, phase, session, now, error ? "500" : "200");
  }

  private double serve(String route, Phase phase, String session, Instant now, String code) {
    double seconds = latency(route, phase);
    metrics.requests.labels(route, code).inc();
    metrics.latency.labels(route).observe(seconds);
    emit("page_view", now, Map.of("session", session, "page", route,
        "load_ms", Math.round(seconds * 1000 + 300 + random.nextInt(900)),
        "js_errors", code.equals("200") ? 0 : 1));
    return seconds;
  }

  /**
   * Log-normal latencies around a per-route median, slower under load and for checkout in a fault,
   * faster with the simplified site.
   */
  private double latency(String route, Phase phase) {
    double median = switch (route) {
      case "/checkout" -> 0.25;
      case "/payment" -> 0.35;
      case "/cart" -> 0.08;
      default -> 0.05;
    };
    median *= 1 + 0.1 * (phase.trafficFactor() - 1);
    if (phase.faulty() && (route.equals("/checkout") || route.equals("/payment"))) {
      median *= 5;
    }
    if ("true".equals(flags.get("simplified-site"))) {
      median *= 0.6;
    }
    return median * Math.exp(0.45 * random.nextGaussian());
  }

  private void emit(String type, Instant time, Map<String, Object> fields) {
    if (eventListeners.isEmpty()) {
      return;
    }
    ShopEvent event = new ShopEvent(type, time, fields);
    for (Consumer<ShopEvent> listener : eventListeners) {
      listener.accept(event);
    }
  }

  private double noise(double scale) {
    return random.nextGaussian() * scale;
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }
}
