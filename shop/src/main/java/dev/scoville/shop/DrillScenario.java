package dev.scoville.shop;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named, timed script of what goes wrong in the shop during a drill: steps that each start at an
 * offset from the drill's start and last a while, laid over the shop's day. Run at a {@code speed}
 * (see {@link ScenarioRun}) it plays compressed in time, for tests.
 */
public record DrillScenario(String name, String description, List<Step> steps) {

  public DrillScenario {
    steps = List.copyOf(steps);
  }

  /** One part of the script: {@code effects} hold from {@code at} for {@code lasts}. */
  public record Step(Duration at, Duration lasts, Effects effects) {
    boolean activeAt(Duration sinceStart) {
      return sinceStart.compareTo(at) >= 0 && sinceStart.compareTo(at.plus(lasts)) < 0;
    }
  }

  /** A payment provider failing: with errors (fast 502s) or with timeouts (slow 504s). */
  public record PaymentFault(String provider, Mode mode) {
    public enum Mode {
      ERRORS,
      TIMEOUTS
    }
  }

  /**
   * What the shop suffers at one instant. {@code traffic} multiplies the day's visits; {@code
   * payment} is null when every provider works.
   */
  public record Effects(double traffic, PaymentFault payment, boolean slowDatabase, boolean cdnDown,
      boolean logisticsDown, boolean bestSellerOutOfStock, boolean feedbackDrop) {
    public static final Effects NONE = new Effects(1, null, false, false, false, false, false);

    static Effects surge(double traffic) {
      return new Effects(traffic, null, false, false, false, false, false);
    }

    static Effects paymentFault(String provider, PaymentFault.Mode mode) {
      return new Effects(1, new PaymentFault(provider, mode), false, false, false, false, false);
    }

    /** Both at once: traffic multiplies, faults add up; the first payment fault holds. */
    Effects and(Effects o) {
      return new Effects(traffic * o.traffic, payment != null ? payment : o.payment, slowDatabase || o.slowDatabase,
          cdnDown || o.cdnDown, logisticsDown || o.logisticsDown, bestSellerOutOfStock || o.bestSellerOutOfStock,
          feedbackDrop || o.feedbackDrop);
    }
  }

  /** The effects of every step active {@code sinceStart} into the script. */
  public Effects effectsAt(Duration sinceStart) {
    Effects effects = Effects.NONE;
    for (Step step : steps) {
      if (step.activeAt(sinceStart)) {
        effects = effects.and(step.effects());
      }
    }
    return effects;
  }

  /** When the last step ends, in script time. */
  public Duration length() {
    return steps.stream().map(s -> s.at().plus(s.lasts())).max(Duration::compareTo).orElse(Duration.ZERO);
  }

  private static final Effects SLOW_DATABASE = new Effects(1, null, true, false, false, false, false);
  private static final Effects CDN_DOWN = new Effects(1, null, false, true, false, false, false);
  private static final Effects LOGISTICS_DOWN = new Effects(1, null, false, false, true, false, false);
  private static final Effects STOCK_OUT = new Effects(1, null, false, false, false, true, false);
  private static final Effects FEEDBACK_DROP = new Effects(1, null, false, false, false, false, true);

  private static final Map<String, DrillScenario> CATALOG = catalog(
      new DrillScenario("surge-150", "Traffic climbs to 150 % of baseline within two minutes and stays for 15 minutes",
          List.of(step(0, 2, Effects.surge(1.25)), step(2, 15, Effects.surge(1.5)))),
      new DrillScenario("surge-200", "Traffic climbs to 200 % of baseline within four minutes and stays for 15 minutes",
          List.of(step(0, 2, Effects.surge(1.5)), step(2, 2, Effects.surge(1.75)), step(4, 15, Effects.surge(2.0)))),
      new DrillScenario("payment-outage", "The card gateway answers most payments with errors for 10 minutes",
          List.of(step(0, 10, Effects.paymentFault("card-gateway", PaymentFault.Mode.ERRORS)))),
      new DrillScenario("payment-timeouts", "The card gateway times out on most payments for 10 minutes",
          List.of(step(0, 10, Effects.paymentFault("card-gateway", PaymentFault.Mode.TIMEOUTS)))),
      new DrillScenario("slow-database", "Database queries take fifteen times longer and the pool fills, for 10 minutes",
          List.of(step(0, 10, SLOW_DATABASE))),
      new DrillScenario("cdn-failure", "Static assets fail to load: pages load slowly and throw JS errors, for 10 minutes",
          List.of(step(0, 10, CDN_DOWN))),
      new DrillScenario("logistics-down", "The logistics API refuses shipping quotes for 10 minutes",
          List.of(step(0, 10, LOGISTICS_DOWN))),
      new DrillScenario("best-seller-stock-out", "The best-selling sauce sells out and stays out for 20 minutes",
          List.of(step(0, 20, STOCK_OUT))),
      new DrillScenario("feedback-drop", "Customer feedback scores fall for 15 minutes",
          List.of(step(0, 15, FEEDBACK_DROP))),
      new DrillScenario("peak-payment-outage", "Traffic at 175 %, and from minute 3 the card gateway fails for 10 minutes",
          List.of(step(0, 20, Effects.surge(1.75)),
              step(3, 10, Effects.paymentFault("card-gateway", PaymentFault.Mode.ERRORS)))),
      new DrillScenario("black-friday", "Traffic at 200 %, the database slows from minute 5 and the CDN fails from minute 12",
          List.of(step(0, 25, Effects.surge(2.0)), step(5, 10, SLOW_DATABASE), step(12, 8, CDN_DOWN))));

  /** Every scenario the shop knows, by name, in the order listed. */
  public static Map<String, DrillScenario> catalog() {
    return CATALOG;
  }

  public static Optional<DrillScenario> named(String name) {
    return Optional.ofNullable(CATALOG.get(name));
  }

  private static Step step(int atMinute, int minutes, Effects effects) {
    return new Step(Duration.ofMinutes(atMinute), Duration.ofMinutes(minutes), effects);
  }

  private static Map<String, DrillScenario> catalog(DrillScenario... scenarios) {
    Map<String, DrillScenario> byName = new LinkedHashMap<>();
    for (DrillScenario scenario : scenarios) {
      byName.put(scenario.name(), scenario);
    }
    return Collections.unmodifiableMap(byName);
  }
}
