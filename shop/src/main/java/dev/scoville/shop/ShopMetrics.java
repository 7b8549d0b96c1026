package dev.scoville.shop;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;

/** The shop's technical and business metrics, in a registry of their own. */
final class ShopMetrics {
  final CollectorRegistry registry = new CollectorRegistry();

  final Counter requests =
      Counter.build("shop_http_requests_total", "HTTP requests served, by route and status code.")
          .labelNames("route", "code")
          .register(registry);
  final Histogram latency =
      Histogram.build("shop_http_request_duration_seconds", "HTTP request latency by route.")
          .labelNames("route")
          .buckets(0.05, 0.1, 0.25, 0.5, 0.8, 1, 2, 5)
          .register(registry);
  final Counter payments =
      Counter.build("shop_payments_total", "Payment attempts, by provider and outcome.")
          .labelNames("provider", "outcome")
          .register(registry);
  final Counter orders =
      Counter.build("shop_orders_total", "Orders placed.").register(registry);
  final Counter orderValue =
      Counter.build("shop_order_value_euros_total", "Value of orders placed.").register(registry);
  final Counter carts =
      Counter.build("shop_carts_created_total", "Carts created.").register(registry);
  final Counter checkouts =
      Counter.build("shop_checkouts_started_total", "Checkouts started.").register(registry);
  final Gauge cpu =
      Gauge.build("shop_cpu_usage_ratio", "Share of the shop's CPU in use (0 to 1).").register(registry);
  final Gauge dbConnections =
      Gauge.build("shop_db_connections_in_use", "Database connections in use.").register(registry);
  final Gauge dbConnectionsMax =
      Gauge.build("shop_db_connections_max", "Database connection pool size.").register(registry);
}
