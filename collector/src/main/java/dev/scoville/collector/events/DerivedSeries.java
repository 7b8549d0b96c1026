package dev.scoville.collector.events;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import io.prometheus.client.Counter;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns business and UX events into series: events are added to per-shop sliding windows (event
 * time, one slot per step), and every step the windows are read into ordinary samples appended to
 * the {@link SeriesStore}, so rules and PromQL see them like scraped ones. The names and their
 * definitions are in collector/EVENTS.md; a ratio or quantile whose window holds nothing to divide
 * by is not written, and the series it last wrote gets Prometheus's staleness marker.
 *
 * <p>Thread-safe: sources add whole batches under one lock (a batch is cheap to add, so the lock is
 * held briefly); evaluation reads under it and appends to the store outside it.
 */
public final class DerivedSeries {
  private static final Counter ACCEPTED =
      Counter.build(
              "scoville_events_accepted_total",
              "Valid events added to the derived series, by source (kafka, beacon).")
          .labelNames("source")
          .register();
  private static final Counter LATE =
      Counter.build(
              "scoville_events_outside_window_total",
              "Valid events whose time lies outside the sliding window: counted by type, not in the"
                  + " windowed series.")
          .labelNames("source")
          .register();
  private static final Counter DUPLICATES =
      Counter.build(
              "scoville_events_redelivered_total",
              "Kafka records delivered again after a consumer restart and skipped, having been"
                  + " applied already.")
          .register();
  private static final int MAX_SHOPS = 100;
  private static final double[] QUANTILES = {0.5, 0.95};

  private final SeriesStore store;
  private final Clock clock;
  private final long stepMillis;
  private final int windowSlots;
  private final Map<String, ShopWindow> shops = new HashMap<>();

  /** "topic/partition" → the last offset applied, so a redelivered record is not counted twice. */
  private final Map<String, Long> appliedOffsets = new HashMap<>();

  private final Map<String, RejectedEvents> rejected = new ConcurrentHashMap<>();
  private volatile Consumer<CustomerFeedback> feedbackListener = feedback -> {};
  private Set<Labels> lastWritten = Set.of();
  private long timer = -1;
  private Vertx vertx;

  public DerivedSeries(SeriesStore store, Clock clock, EventsConfig config) {
    this.store = store;
    this.clock = clock;
    this.stepMillis = config.step().toMillis();
    this.windowSlots = (int) (config.window().toMillis() / stepMillis);
  }

  /** Evaluates the windows every step on a Vert.x timer. */
  public synchronized void start(Vertx vertx) {
    if (timer < 0) {
      this.vertx = vertx;
      timer = vertx.setPeriodic(stepMillis, id -> evaluate());
    }
  }

  public synchronized void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * Parses and adds JSON events, one object each, from a source in this process (e.g. the demo
   * shop's simulator); refusals are counted and logged under {@code source}. Returns how many were
   * accepted.
   */
  public int accept(List<byte[]> jsonEvents, String source) {
    EventParser parser = new EventParser();
    RejectedEvents rejections = rejected.computeIfAbsent(source, RejectedEvents::new);
    List<Event> events = new ArrayList<>(jsonEvents.size());
    for (int i = 0; i < jsonEvents.size(); i++) {
      try {
        events.add(parser.parse(jsonEvents.get(i)));
      } catch (InvalidEventException e) {
        rejections.record(source + " event[" + i + "]", e);
      }
    }
    apply(events, source);
    return events.size();
  }

  /**
   * Tells {@code listener} every feedback event accepted from now on, from every source, on the
   * thread that applies it: the listener must not block.
   */
  public void onFeedback(Consumer<CustomerFeedback> listener) {
    feedbackListener = listener;
  }

  /** Adds a batch of events from {@code source} ("kafka" or "beacon"). */
  synchronized void apply(List<Event> events, String source) {
    long nowSlot = Math.floorDiv(clock.millis(), stepMillis);
    int outside = 0;
    ShopWindow window = null;
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (window == null || !window.shop.equals(event.shop())) {
        window = shop(event.shop());
      }
      if (!window.add(event, Math.floorDiv(event.timeMillis(), stepMillis), nowSlot)) {
        outside++;
      }
      if (event instanceof Event.Feedback f) {
        feedbackListener.accept(new CustomerFeedback(f.shop(), f.timeMillis(), f.score(), f.comment(), f.page(), f.topic()));
      }
    }
    ACCEPTED.labels(source).inc(events.size());
    if (outside > 0) {
      LATE.labels(source).inc(outside);
    }
  }

  /**
   * The last offset applied from a Kafka partition, or -1. Records at or below it are redeliveries
   * (the consumer restarted before committing them) and must be skipped.
   */
  synchronized long appliedOffset(String topic, int partition) {
    return appliedOffsets.getOrDefault(topic + "/" + partition, -1L);
  }

  /**
   * Adds a Kafka partition's records up to {@code lastOffset}, and remembers that offset in the
   * same step.
   */
  synchronized void applyPartition(
      String topic, int partition, List<Event> events, long lastOffset, int redelivered) {
    apply(events, "kafka");
    appliedOffsets.merge(topic + "/" + partition, lastOffset, Math::max);
    if (redelivered > 0) {
      DUPLICATES.inc(redelivered);
    }
  }

  private ShopWindow shop(String shop) {
    ShopWindow window = shops.get(shop);
    if (window == null) {
      String key = shops.size() < MAX_SHOPS ? shop : "other";
      window = shops.computeIfAbsent(key, k -> new ShopWindow(k, windowSlots));
    }
    return window;
  }

  /** Reads every window as of now into samples and appends them to the store. */
  void evaluate() {
    long now = clock.millis();
    List<Sample> samples = new ArrayList<>();
    synchronized (this) {
      long nowSlot = Math.floorDiv(now, stepMillis);
      for (ShopWindow window : shops.values()) {
        read(window, nowSlot, now, samples);
      }
      Set<Labels> written = new HashSet<>(samples.size() * 2);
      for (Sample sample : samples) {
        written.add(sample.labels());
      }
      for (Labels gone : lastWritten) {
        if (!written.contains(gone)) {
          samples.add(new Sample(gone, now, Sample.STALE_NAN));
        }
      }
      lastWritten = written;
    }
    store.append(samples);
  }

  private void read(ShopWindow window, long nowSlot, long now, List<Sample> out) {
    String shop = window.shop;
    for (Event.Type type : Event.Type.ALL) {
      out.add(
          sample(
              now,
              window.eventsTotal[type.ordinal()],
              "scoville_shop_events_total",
              shop,
              "type",
              type.label));
    }
    for (Map.Entry<String, double[]> e : window.stock.entrySet()) {
      out.add(sample(now, e.getValue()[1], "scoville_shop_stock_level", shop, "sku", e.getKey()));
    }

    long pageViews = 0;
    long pageViewsWithErrors = 0;
    long carts = 0;
    long checkouts = 0;
    long orders = 0;
    double feedbackSum = 0;
    long feedbackCount = 0;
    SessionSketch sessions = new SessionSketch();
    QuantileSketch completion = new QuantileSketch();
    Map<String, QuantileSketch> pageLoads = new HashMap<>();
    Map<String, long[]> payments = new HashMap<>();
    Map<String, double[]> orderValues = new HashMap<>();
    for (ShopWindow.Slot slot : window.ring) {
      if (slot == null || slot.id <= nowSlot - windowSlots || slot.id > nowSlot) {
        continue;
      }
      pageViews += slot.pageViews;
      pageViewsWithErrors += slot.pageViewsWithErrors;
      carts += slot.carts;
      checkouts += slot.checkouts;
      orders += slot.orders;
      feedbackSum += slot.feedbackSum;
      feedbackCount += slot.feedbackCount;
      if (slot.pageViews > 0) {
        sessions.addAll(slot.sessions);
      }
      completion.addAll(slot.completion);
      slot.pageLoads.forEach(
          (page, sketch) ->
              pageLoads.computeIfAbsent(page, k -> new QuantileSketch()).addAll(sketch));
      slot.payments.forEach(
          (provider, r) -> {
            long[] sum = payments.computeIfAbsent(provider, k -> new long[2]);
            sum[0] += r[0];
            sum[1] += r[1];
          });
      slot.orderValues.forEach(
          (currency, v) -> {
            double[] sum = orderValues.computeIfAbsent(currency, k -> new double[2]);
            sum[0] += v[0];
            sum[1] += v[1];
          });
    }

    long sessionCount = pageViews == 0 ? 0 : sessions.estimate();
    out.add(sample(now, sessionCount, "scoville_shop_sessions", shop));
    if (sessionCount > 0) {
      out.add(sample(now, (double) orders / sessionCount, "scoville_shop_conversion_ratio", shop));
    }
    if (carts > 0) {
      out.add(
          sample(
              now,
              Math.max(0, 1 - (double) checkouts / carts),
              "scoville_shop_cart_abandonment_ratio",
              shop));
    }
    if (pageViews > 0) {
      out.add(
          sample(
              now, (double) pageViewsWithErrors / pageViews, "scoville_shop_js_error_ratio", shop));
    }
    if (feedbackCount > 0) {
      out.add(
          sample(now, feedbackSum / feedbackCount, "scoville_shop_feedback_score_average", shop));
    }
    for (double q : QUANTILES) {
      String quantile = Double.toString(q);
      if (completion.count() > 0) {
        out.add(
            sample(
                now,
                completion.quantile(q) / 1000,
                "scoville_shop_order_completion_seconds",
                shop,
                "quantile",
                quantile));
      }
      pageLoads.forEach(
          (page, sketch) -> {
            if (sketch.count() > 0) {
              out.add(
                  sample(
                      now,
                      sketch.quantile(q) / 1000,
                      "scoville_shop_page_load_seconds",
                      shop,
                      "page",
                      page,
                      "quantile",
                      quantile));
            }
          });
    }
    payments.forEach(
        (provider, r) -> {
          if (r[1] > 0) {
            out.add(
                sample(
                    now,
                    (double) r[0] / r[1],
                    "scoville_shop_payment_success_ratio",
                    shop,
                    "provider",
                    provider));
          }
        });
    orderValues.forEach(
        (currency, v) -> {
          if (v[1] > 0) {
            out.add(
                sample(
                    now,
                    v[0] / v[1],
                    "scoville_shop_order_value_average",
                    shop,
                    "currency",
                    currency));
          }
        });
  }

  private static Sample sample(long now, double value, String name, String shop, String... labels) {
    String[] pairs = new String[labels.length + 4];
    pairs[0] = Labels.METRIC_NAME;
    pairs[1] = name;
    pairs[2] = "shop";
    pairs[3] = shop;
    System.arraycopy(labels, 0, pairs, 4, labels.length);
    return new Sample(Labels.of(pairs), now, value);
  }
}
