package dev.scoville.collector.events;

/**
 * A business or user-experience event, validated: one record per type of the JSON event schema (see
 * {@link EventParser}). {@code shop} is "" when the event names none; times are milliseconds since
 * the epoch. A record keeps what the windows read: identifiers the schema requires but no series
 * uses (cart, order, and the session of all but page views) are checked, not kept, and a page
 * view's session is kept as its hash ({@link SessionSketch#hash}), all the session sketch needs.
 */
sealed interface Event {
  String shop();

  long timeMillis();

  Type type();

  /** The schema's types; the name is the JSON {@code type} value and the counter's label. */
  enum Type {
    PAGE_VIEW("page_view"),
    CART_CREATED("cart_created"),
    CHECKOUT_STARTED("checkout_started"),
    PAYMENT_RESULT("payment_result"),
    ORDER_PLACED("order_placed"),
    INVENTORY_LEVEL("inventory_level"),
    FEEDBACK("feedback");

    static final Type[] ALL = values();
    final String label;

    Type(String label) {
      this.label = label;
    }
  }

  record PageView(
      String shop, long timeMillis, long session, String page, double loadMillis, int jsErrors)
      implements Event {
    public Type type() {
      return Type.PAGE_VIEW;
    }
  }

  record CartCreated(String shop, long timeMillis) implements Event {
    public Type type() {
      return Type.CART_CREATED;
    }
  }

  record CheckoutStarted(String shop, long timeMillis) implements Event {
    public Type type() {
      return Type.CHECKOUT_STARTED;
    }
  }

  record PaymentResult(String shop, long timeMillis, String provider, boolean success)
      implements Event {
    public Type type() {
      return Type.PAYMENT_RESULT;
    }
  }

  /** {@code completionMillis} is NaN when the event does not carry it. */
  record OrderPlaced(
      String shop, long timeMillis, double amount, String currency, double completionMillis)
      implements Event {
    public Type type() {
      return Type.ORDER_PLACED;
    }
  }

  record InventoryLevel(String shop, long timeMillis, String sku, double level) implements Event {
    public Type type() {
      return Type.INVENTORY_LEVEL;
    }
  }

  /** {@code comment}, {@code page} and {@code topic} are "" when the event does not carry them. */
  record Feedback(String shop, long timeMillis, int score, String comment, String page, String topic)
      implements Event {
    public Type type() {
      return Type.FEEDBACK;
    }
  }
}
