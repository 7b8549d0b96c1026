package dev.scoville.benchmarks;

import java.time.Instant;
import java.util.Random;

/**
 * One JSON event of the demo shop's mix, as a Kafka record's value or a beacon's batch holds it:
 * mostly page views over five pages, then carts, checkouts, payments over two providers, orders,
 * some stock levels and feedback; 20,000 sessions; times within the minute before {@code now}.
 */
final class ShopEventJson {
  private static final String[] PAGES = {"/", "/product", "/cart", "/checkout", "/payment"};

  private ShopEventJson() {}

  static String event(Random random, int i, Instant now) {
    String time = now.minusMillis(random.nextInt(59_000)).toString();
    String session = "s-" + random.nextInt(20_000);
    double kind = random.nextDouble();
    if (kind < 0.70) {
      return "{\"type\":\"page_view\",\"time\":\""
          + time
          + "\",\"session\":\""
          + session
          + "\",\"page\":\""
          + PAGES[random.nextInt(PAGES.length)]
          + "\",\"load_ms\":"
          + (300 + random.nextInt(900))
          + ",\"js_errors\":"
          + (random.nextDouble() < 0.02 ? 1 : 0)
          + "}";
    } else if (kind < 0.80) {
      return "{\"type\":\"cart_created\",\"time\":\""
          + time
          + "\",\"session\":\""
          + session
          + "\",\"cart\":\"c-"
          + i
          + "\"}";
    } else if (kind < 0.86) {
      return "{\"type\":\"checkout_started\",\"time\":\""
          + time
          + "\",\"session\":\""
          + session
          + "\",\"cart\":\"c-"
          + i
          + "\"}";
    } else if (kind < 0.92) {
      return "{\"type\":\"payment_result\",\"time\":\""
          + time
          + "\",\"order\":\"o-"
          + i
          + "\",\"provider\":\""
          + (random.nextDouble() < 0.8 ? "card-gateway" : "paypal")
          + "\",\"outcome\":\""
          + (random.nextDouble() < 0.97 ? "success" : "failure")
          + "\"}";
    } else if (kind < 0.98) {
      return "{\"type\":\"order_placed\",\"time\":\""
          + time
          + "\",\"session\":\""
          + session
          + "\",\"order\":\"o-"
          + i
          + "\",\"amount\":"
          + (8 + random.nextInt(4000) / 100.0)
          + ",\"currency\":\"EUR\",\"completion_ms\":"
          + (20_000 + random.nextInt(40_000))
          + "}";
    } else if (kind < 0.99) {
      return "{\"type\":\"inventory_level\",\"time\":\""
          + time
          + "\",\"sku\":\"HS-"
          + random.nextInt(200)
          + "\",\"level\":"
          + random.nextInt(500)
          + "}";
    }
    return "{\"type\":\"feedback\",\"time\":\""
        + time
        + "\",\"score\":"
        + (1 + random.nextInt(5))
        + ",\"comment\":\"too hot\"}";
  }
}
