package dev.scoville.collector.events;

import java.util.HashMap;
import java.util.Map;

/**
 * One shop's aggregates: a ring of per-step slots (twice the window, so events a little ahead of
 * the clock still find a slot of their own), cumulative counts per event type, and the latest stock
 * level per SKU. A slot holds plain counters and sketches that are zeroed, never reallocated, when
 * the ring comes round. Guarded by {@link DerivedSeries}'s lock.
 */
final class ShopWindow {
  /**
   * Label values kept per label and shop; more distinct pages, providers, … are counted as "other".
   */
  static final int MAX_LABEL_VALUES = 500;

  /**
   * SKUs whose stock level is kept per shop; a catalogue is larger than a page list, but bounded.
   */
  static final int MAX_SKUS = 10_000;

  final String shop;
  final long[] eventsTotal = new long[Event.Type.ALL.length];
  final Slot[] ring;
  private final int windowSlots;

  /** sku → {event time, level}: the level of the newest event, by event time. */
  final Map<String, double[]> stock = new HashMap<>();

  private final Map<String, String> pages = new HashMap<>();
  private final Map<String, String> providers = new HashMap<>();
  private final Map<String, String> currencies = new HashMap<>();

  ShopWindow(String shop, int windowSlots) {
    this.shop = shop;
    this.windowSlots = windowSlots;
    this.ring = new Slot[2 * windowSlots];
  }

  /**
   * Adds an event whose slot is {@code slotId}; returns false when the slot is outside what the
   * ring holds (then only the type counter and the stock level take it).
   */
  boolean add(Event event, long slotId, long nowSlot) {
    eventsTotal[event.type().ordinal()]++;
    if (event instanceof Event.InventoryLevel e) {
      double[] last = stock.get(e.sku());
      if (last == null && stock.size() < MAX_SKUS) {
        stock.put(e.sku(), new double[] {e.timeMillis(), e.level()});
      } else if (last != null && e.timeMillis() >= last[0]) {
        last[0] = e.timeMillis();
        last[1] = e.level();
      }
      return true;
    }
    if (slotId <= nowSlot - windowSlots || slotId >= nowSlot + windowSlots) {
      return false;
    }
    int index = (int) Math.floorMod(slotId, (long) ring.length);
    Slot slot = ring[index];
    if (slot == null) {
      slot = ring[index] = new Slot();
      slot.id = slotId;
    } else if (slot.id != slotId) {
      if (slot.id > slotId) {
        return false;
      }
      slot.reset(slotId);
    }
    // Java 17 has no pattern switch: the type enum picks the record, the cast cannot fail.
    switch (event.type()) {
      case PAGE_VIEW -> {
        Event.PageView e = (Event.PageView) event;
        slot.pageViews++;
        if (e.jsErrors() > 0) {
          slot.pageViewsWithErrors++;
        }
        slot.sessions.add(e.session());
        slot.pageLoads
            .computeIfAbsent(bounded(pages, e.page()), k -> new QuantileSketch())
            .add(e.loadMillis());
      }
      case CART_CREATED -> slot.carts++;
      case CHECKOUT_STARTED -> slot.checkouts++;
      case PAYMENT_RESULT -> {
        Event.PaymentResult e = (Event.PaymentResult) event;
        long[] results =
            slot.payments.computeIfAbsent(bounded(providers, e.provider()), k -> new long[2]);
        results[1]++;
        if (e.success()) {
          results[0]++;
        }
      }
      case ORDER_PLACED -> {
        Event.OrderPlaced e = (Event.OrderPlaced) event;
        slot.orders++;
        double[] value =
            slot.orderValues.computeIfAbsent(bounded(currencies, e.currency()), k -> new double[2]);
        value[0] += e.amount();
        value[1]++;
        if (!Double.isNaN(e.completionMillis())) {
          slot.completion.add(e.completionMillis());
        }
      }
      case FEEDBACK -> {
        slot.feedbackSum += ((Event.Feedback) event).score();
        slot.feedbackCount++;
      }
      case INVENTORY_LEVEL -> throw new AssertionError("handled above");
    }
    return true;
  }

  /** The same String instance for a value seen before; "other" once a label has too many values. */
  private static String bounded(Map<String, String> known, String value) {
    String seen = known.get(value);
    if (seen != null) {
      return seen;
    }
    if (known.size() >= MAX_LABEL_VALUES) {
      return "other";
    }
    known.put(value, value);
    return value;
  }

  /** One step of the window. */
  static final class Slot {
    long id;
    long pageViews;
    long pageViewsWithErrors;
    long carts;
    long checkouts;
    long orders;
    double feedbackSum;
    long feedbackCount;
    final SessionSketch sessions = new SessionSketch();
    final QuantileSketch completion = new QuantileSketch();
    final Map<String, QuantileSketch> pageLoads = new HashMap<>();

    /** provider → {successes, results}. */
    final Map<String, long[]> payments = new HashMap<>();

    /** currency → {sum of amounts, orders}. */
    final Map<String, double[]> orderValues = new HashMap<>();

    void reset(long newId) {
      id = newId;
      pageViews = pageViewsWithErrors = carts = checkouts = orders = feedbackCount = 0;
      feedbackSum = 0;
      sessions.clear();
      completion.clear();
      pageLoads.values().forEach(QuantileSketch::clear);
      payments.values().forEach(r -> r[0] = r[1] = 0);
      orderValues.values().forEach(v -> v[0] = v[1] = 0);
    }
  }
}
