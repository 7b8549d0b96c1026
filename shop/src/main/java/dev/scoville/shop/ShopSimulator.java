package dev.scoville.shop;

import dev.scoville.shop.Scenario.Phase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  /** The sauce most visitors look at: a drill can sell it out. */
  static final String BEST_SELLER = "carolina-reaper";
  private static final Map<String, Double> INITIAL_STOCK =
      Map.of(BEST_SELLER, 400.0, "habanero-gold", 900.0, "smoky-chipotle", 700.0);
  private static final List<String> SKUS = List.of(BEST_SELLER, "habanero-gold", "smoky-chipotle");
  private static final Duration INVENTORY_EVERY = Duration.ofSeconds(1);
  /** What unhappy customers write, by the topic they pick in the survey and the page it asks on. */
  private static final List<Complaint> COMPLAINTS = List.of(
      new Complaint("delivery", "/checkout", "Delivery estimate was wrong"),
      new Complaint("checkout", "/payment", "Checkout kept failing"),
      new Complaint("stock", "/product", "My sauce was sold out"),
      new Complaint("speed", "/", "Page was very slow"));

  private record Complaint(String topic, String page, String comment) {}

  private final Scenario scenario;
  private final double baselineVisitsPerSecond;
  private final Clock clock;
  private final Instant start;
  private final Random random;
  private final ShopMetrics metrics = new ShopMetrics();
  private final List<Consumer<ShopEvent>> eventListeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, String> flags = Map.of();
  private volatile ScenarioRun drill;
  private final Map<String, Double> stock = new LinkedHashMap<>(INITIAL_STOCK);
  private Instant lastInventoryReport = Instant.MIN;
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

  /**
   * Plays {@code drillScenario} over the day from now, {@code speed} times faster than written;
   * refused while another one plays.
   */
  public synchronized ScenarioRun startScenario(DrillScenario drillScenario, double speed) {
    ScenarioRun current = currentScenario().orElse(null);
    if (current != null) {
      throw new IllegalStateException("scenario " + current.scenario().name() + " plays until " + current.endsAt());
    }
    ScenarioRun run = new ScenarioRun(drillScenario, clock.instant(), speed);
    drill = run;
    return run;
  }

  /** Stops the scenario playing, if one is. */
  public synchronized Optional<ScenarioRun> stopScenario() {
    Optional<ScenarioRun> stopped = currentScenario();
    drill = null;
    return stopped;
  }

  /** The scenario playing now, if one is. */
  public Optional<ScenarioRun> currentScenario() {
    ScenarioRun run = drill;
    return run == null || run.finishedAt(clock.instant()) ? Optional.empty() : Optional.of(run);
  }

  /** What the playing scenario inflicts now ({@link DrillScenario.Effects#NONE} without one). */
  public DrillScenario.Effects effects() {
    ScenarioRun run = drill;
    return run == null ? DrillScenario.Effects.NONE : run.effectsAt(clock.instant());
  }

  /** Whether the card gateway fails now: in the day's fault or in a scenario's payment fault. */
  boolean cardGatewayFailing() {
    DrillScenario.PaymentFault fault = effects().payment();
    return phase().faulty() || (fault != null && fault.provider().equals("card-gateway"));
  }

  boolean logisticsDown() {
    return effects().logisticsDown();
  }

  /** The shop's metrics, for a test or harness that reads them without scraping. */
  public io.prometheus.client.CollectorRegistry registry() {
    return metrics.registry;
  }

  /** Simulates the visits of the last {@code elapsed} of wall time. */
  public synchronized void tick(Duration elapsed) {
    Phase phase = phase();
    DrillScenario.Effects effects = effects();
    double visitsPerSecond = baselineVisitsPerSecond * phase.trafficFactor() * effects.traffic();
    pendingVisits += visitsPerSecond * elapsed.toNanos() / 1e9;
    int visits = (int) pendingVisits;
    pendingVisits -= visits;
    for (int i = 0; i < visits; i++) {
      visit(phase, effects);
    }
    double load = visitsPerSecond / (baselineVisitsPerSecond * 2.5);
    metrics.cpu.set(clamp(0.2 + 0.6 * load + noise(0.03), 0, 1));
    double connections = effects.slowDatabase() ? 47 + noise(2) : 8 + 30 * load + noise(2);
    metrics.dbConnections.set(Math.round(clamp(connections, 0, 50)));
    reportInventory(effects);
  }

  private void visit(Phase phase, DrillScenario.Effects effects) {
    String session = "s-" + (++nextId);
    Instant now = clock.instant();
    serve("/", phase, effects, session, now);
    if (random.nextDouble() > 0.7) {
      return;
    }
    String sku = SKUS.get(random.nextDouble() < 0.45 ? 0 : 1 + random.nextInt(SKUS.size() - 1));
    serve("/product", phase, effects, session, now);
    if (sku.equals(BEST_SELLER) && effects.bestSellerOutOfStock()) {
      metrics.outOfStock.labels(sku).inc();
      // Most who came for the best seller leave when it is gone.
      if (random.nextDouble() < 0.75) {
        return;
      }
      sku = SKUS.get(1);
    }
    if (random.nextDouble() > 0.35) {
      return;
    }
    serve("/cart", phase, effects, session, now);
    metrics.carts.inc();
    String cart = "c-" + nextId;
    emit("cart_created", now, Map.of("session", session, "cart", cart));
    if (random.nextDouble() > 0.6) {
      return;
    }
    double checkoutSeconds = serve("/checkout", phase, effects, session, now);
    metrics.checkouts.inc();
    emit("checkout_started", now, Map.of("session", session, "cart", cart));
    metrics.logistics.labels(effects.logisticsDown() ? "503" : "200").inc();
    // Without a shipping quote, half the shoppers give up at checkout.
    if (effects.logisticsDown() && random.nextDouble() < 0.5) {
      return;
    }
    String provider = PROVIDERS.get(random.nextDouble() < 0.8 ? 0 : 1);
    if (provider.equals("card-gateway") && "backup".equals(flags.get("payment-provider"))) {
      provider = "backup-gateway";
    }
    DrillScenario.PaymentFault fault = effects.payment();
    boolean drillFault = fault != null && fault.provider().equals(provider);
    boolean dayFault = phase.faulty() && provider.equals("card-gateway");
    boolean timeouts = drillFault && fault.mode() == DrillScenario.PaymentFault.Mode.TIMEOUTS;
    double failureChance = drillFault ? 0.6 : dayFault ? 0.45 : 0.01;
    boolean paid = random.nextDouble() > failureChance;
    double paymentSeconds = serve("/payment", phase, effects, session, now, paid ? "200" : timeouts ? "504" : "502",
        timeouts && !paid ? 30 : 1);
    metrics.payments.labels(provider, paid ? "success" : "failure").inc();
    String order = "o-" + nextId;
    emit("payment_result", now, Map.of("order", order, "provider", provider, "outcome", paid ? "success" : "failure"));
    if (paid) {
      double amount = Math.round((8 + random.nextDouble() * 40) * 100) / 100.0;
      metrics.orders.inc();
      metrics.orderValue.inc(amount);
      stock.merge(sku, -1.0, Double::sum);
      long completionMs = Math.round((checkoutSeconds + paymentSeconds) * 1000) + 20_000 + random.nextInt(40_000);
      emit("order_placed", now, Map.of("session", session, "order", order, "amount", amount,
          "currency", "EUR", "completion_ms", completionMs));
      if (random.nextDouble() < 0.15) {
        giveFeedback(effects, now);
      }
    }
  }

  /**
   * Mostly fours and fives about the product, asked after the order; ones to threes, with a
   * complaint on a topic and the page it is about, while a drill drops feedback.
   */
  private void giveFeedback(DrillScenario.Effects effects, Instant now) {
    int score = effects.feedbackDrop() ? 1 + random.nextInt(3) : random.nextDouble() < 0.9 ? 4 + random.nextInt(2) : 3;
    metrics.feedback.labels(String.valueOf(score)).inc();
    if (score <= 3) {
      Complaint complaint = COMPLAINTS.get(random.nextInt(COMPLAINTS.size()));
      emit("feedback", now, Map.of("score", score, "comment", complaint.comment(), "topic", complaint.topic(),
          "page", complaint.page()));
    } else {
      emit("feedback", now, Map.of("score", score, "comment", "", "topic", "product", "page", "/payment"));
    }
  }

  /** Stock levels as gauges and, once a second, as inventory events; sold-out stock is restocked. */
  private void reportInventory(DrillScenario.Effects effects) {
    for (String sku : SKUS) {
      if (stock.get(sku) < 50) {
        stock.put(sku, INITIAL_STOCK.get(sku));
      }
      double level = sku.equals(BEST_SELLER) && effects.bestSellerOutOfStock() ? 0 : stock.get(sku);
      metrics.stock.labels(sku, String.valueOf(sku.equals(BEST_SELLER))).set(level);
    }
    Instant now = clock.instant();
    if (eventListeners.isEmpty() || Duration.between(lastInventoryReport, now).compareTo(INVENTORY_EVERY) < 0) {
      return;
    }
    lastInventoryReport = now;
    for (String sku : SKUS) {
      emit("inventory_level", now, Map.of("sku", sku,
          "level", metrics.stock.labels(sku, String.valueOf(sku.equals(BEST_SELLER))).get()));
    }
  }

  private double serve(String route, Phase phase, DrillScenario.Effects effects, String session, Instant now) {
    boolean error = random.nextDouble() < 0.002;
    return serve(route, phase, effects, session, now, error ? "500" : "200", 1);
  }

  private double serve(String route, Phase phase, DrillScenario.Effects effects, String session, Instant now,
      String code, double slowdown) {
    double seconds = latency(route, phase, effects) * slowdown;
    metrics.requests.labels(route, code).inc();
    metrics.latency.labels(route).observe(seconds);
    if (!route.equals("/")) {
      metrics.dbQueries.observe((effects.slowDatabase() ? 0.12 : 0.008) * Math.exp(0.4 * random.nextGaussian()));
    }
    // Three assets a page; with the CDN down most fail, the page waits for them and its scripts throw.
    int failedAssets = 0;
    for (int i = 0; i < 3; i++) {
      failedAssets += effects.cdnDown() && random.nextDouble() < 0.6 ? 1 : 0;
    }
    metrics.staticAssetErrors.inc(failedAssets);
    long loadMs = Math.round(seconds * 1000 + 300 + random.nextInt(900)) + failedAssets * 2_500L;
    boolean jsError = !code.equals("200") || failedAssets > 0;
    emit("page_view", now, Map.of("session", session, "page", route, "load_ms", loadMs, "js_errors", jsError ? 1 : 0));
    return seconds;
  }

  /**
   * Log-normal latencies around a per-route median, slower under load, for checkout in a fault
   * and for every database-backed page with a slow database, faster with the simplified site.
   */
  private double latency(String route, Phase phase, DrillScenario.Effects effects) {
    double median = switch (route) {
      case "/checkout" -> 0.25;
      case "/payment" -> 0.35;
      case "/cart" -> 0.08;
      default -> 0.05;
    };
    median *= 1 + 0.1 * (phase.trafficFactor() * effects.traffic() - 1);
    if (phase.faulty() && (route.equals("/checkout") || route.equals("/payment"))) {
      median *= 5;
    }
    if (effects.slowDatabase() && !route.equals("/")) {
      median *= 4;
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
