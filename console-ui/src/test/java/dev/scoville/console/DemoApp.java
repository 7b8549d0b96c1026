package dev.scoville.console;

import dev.scoville.core.ConfigFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The demo application with its scenario compressed into seconds: baseline, peak, a payment
 * fault long enough to page, then recovery. Each test gets its own ports and in-memory database.
 */
final class DemoApp {
  static final String USER = "alice";
  /** A second commander, to approve what alice asks for. */
  static final String SECOND_USER = "bob";
  /** A responder: offered no commander-only action. */
  static final String RESPONDER = "carol";
  static final String PASSWORD = "hot-sauce-for-everyone";
  static final String ROUTING_KEY = "0123456789abcdef0123456789abcdef";
  static final String OFREP_TOKEN = "test-ofrep-token";

  private DemoApp() {}

  static Scoville start() throws Exception {
    return start(Duration.ofSeconds(40));
  }

  /** The demo with a payment fault lasting {@code fault}. */
  static Scoville start(Duration fault) throws Exception {
    return start(fault, "");
  }

  /** The demo with a payment fault lasting {@code fault} and more sections ({@code extraYaml}, not a format string). */
  static Scoville start(Duration fault, String extraYaml) throws Exception {
    return start(fault, extraYaml, "");
  }

  /**
   * The demo with more sections and more rules in its {@code shop} group ({@code extraRules}: list
   * items indented as the group's rules are, not a format string).
   */
  static Scoville start(Duration fault, String extraYaml, String extraRules) throws Exception {
    return start(fault, extraYaml, extraRules, "");
  }

  /** The demo paging PagerDuty's Events API at {@code eventsUrl} instead of the demo's own stand-in. */
  static Scoville startPagingTo(String eventsUrl) throws Exception {
    return start(Duration.ofSeconds(40), "", "", "\n  eventsUrl: " + eventsUrl);
  }

  private static Scoville start(Duration fault, String extraYaml, String extraRules, String pagerDutyUrl)
      throws Exception {
    String yaml = """
        server:
          host: 127.0.0.1
          uiPort: %d
          apiPort: %d
        database:
          url: jdbc:h2:mem:%s;DB_CLOSE_DELAY=-1
        users:
          - name: %s
            password: ${TEST_PASSWORD}
            role: commander
          - name: %s
            password: ${TEST_PASSWORD}
            role: commander
          - name: %s
            password: ${TEST_PASSWORD}
            role: responder
        demo:
          enabled: true
          baselineVisitsPerSecond: 60
          baseline: 2s
          peak: 2s
          fault: %s
        scrape:
          interval: 500ms
          timeout: 400ms
        pagerduty:
          routingKey: %s
          source: hot-sauce-shop%s
        ofrep:
          token: %s
        actions:
          - name: backup-payment-provider
            title: Switch to the backup payment provider
            kind: kill_switch
            flag: payment-provider
            value: backup
            off: primary
            risk: medium
            role: commander
            cooldown: 5m
          - name: maintenance-page
            title: Show the maintenance page
            kind: kill_switch
            flag: maintenance
            value: true
            risk: high
          - name: customer-message-delay
            title: Tell customers orders ship late
            kind: customer_message
            headline: Orders ship a little later
            message: "Because of {{params.cause}}, orders ship within {{params.days}} days."
            parameters:
              - name: cause
                required: true
              - name: days
                default: 3
                type: integer
            risk: low
        probes:
          interval: 2s
          timeout: 1s
        board:
          window: 5m
          staleAfter: 10s
          tiles:
            - { family: technical, title: Request rate, unit: /s, expr: 'sum(rate(shop_http_requests_total[6s]))' }
            - family: technical
              title: Checkout latency p95
              unit: seconds
              expr: 'histogram_quantile(0.95, sum by (le) (rate(shop_http_request_duration_seconds_bucket{route="/checkout"}[6s])))'
              warning: "> 0.6"
              firing: "> 0.8"
            - { family: business, title: Orders, unit: /min, expr: 'sum(rate(shop_orders_total[6s])) * 60' }
            - family: ux
              title: Payment success
              unit: ratio
              expr: 'sum(rate(shop_payments_total{outcome="success"}[6s])) / sum(rate(shop_payments_total[6s]))'
              warning: "< 0.98"
              firing: "< 0.95"
              rule: PaymentSuccessLow
            - { family: third_party, title: Card gateway status page, unit: statuspage, expr: 'max(statuspage_indicator)', firing: ">= 2" }
        rules:
          groups:
            - name: shop
              interval: 500ms
              rules:
                - alert: PaymentSuccessLow
                  expr: sum(rate(shop_payments_total{outcome="success"}[6s])) / sum(rate(shop_payments_total[6s])) < 0.95
                  for: 1s
                  labels:
                    severity: critical
                  annotations:
                    summary: "Payment success rate is {{ $value | humanizePercentage }} (below 95%%)"
                  runbook: payment-gateway-outage
                  actions: [backup-payment-provider]
        """.formatted(freePort(), freePort(), UUID.randomUUID(), USER, SECOND_USER, RESPONDER, fault.toSeconds() + "s", ROUTING_KEY,
            pagerDutyUrl, OFREP_TOKEN) + extraRules + extraYaml;
    return Scoville.start(ConfigFile.parse("it.yaml", yaml, Map.of("TEST_PASSWORD", PASSWORD)));
  }

  /** Polls {@code probe} until it finds something or {@code limit} passes. */
  static <T> T await(Duration limit, Probe<T> probe) throws Exception {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not seen within " + limit);
  }

  interface Probe<T> {
    Optional<T> get() throws Exception;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
