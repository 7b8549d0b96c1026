package dev.scoville.shop;

import java.time.Clock;
import java.time.Duration;

/**
 * Runs the simulated shop alone: {@code java -cp … dev.scoville.shop.ShopMain [port]
 * [baseline-visits-per-second]}.
 */
public final class ShopMain {
  private ShopMain() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9100;
    double visits = args.length > 1 ? Double.parseDouble(args[1]) : 20;
    ShopSimulator simulator = new ShopSimulator(Scenario.DEMO, visits, Clock.systemUTC(), System.nanoTime());
    ShopServer server = ShopServer.start(simulator, port);
    System.out.println("Hot-sauce shop metrics at " + server.metricsUri()
        + " (baseline " + visits + " visits/s; peak after " + Scenario.DEMO.baseline().toMinutes()
        + " min, payment fault after " + Scenario.DEMO.baseline().plus(Scenario.DEMO.peak()).toMinutes() + " min)");
    Thread.sleep(Duration.ofDays(365).toMillis());
  }
}
