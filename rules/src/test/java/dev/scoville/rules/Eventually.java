package dev.scoville.rules;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what other threads do (an outbox sending, another instance taking over). */
final class Eventually {
  private Eventually() {}

  /** Whether {@code condition} held within {@code atMost}, asked every 20 ms. */
  static boolean await(BooleanSupplier condition, Duration atMost) throws InterruptedException {
    long end = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
