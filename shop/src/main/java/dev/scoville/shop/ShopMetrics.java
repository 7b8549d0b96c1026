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
  final Histogram dbQueries =
      Histogram.build("shop_db_query_duration_seconds", "Database query latency.")
          .buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)
          .register(registry);
  final Counter staticAssetErrors =
      Counter.build("shop_static_asset_errors_total",
              "Static assets (scripts, styles, images) browsers failed to load from the CDN.")
          .register(registry);
  final Counter logistics =
      Counter.build("shop_logistics_requests_total", "Shipping quotes asked of the logistics API, by status code.")
          .labelNames("code")
          .register(registry);
  final Gauge stock =
      Gauge.build("shop_stock_units", "Units in stock, by SKU; bestseller=\"true\" marks the best seller.")
          .labelNames("sku", "bestseller")
          .register(registry);
  final Counter outOfStock =
      Counter.build("shop_out_of_stock_views_total", "Product views of a sold-out SKU.").labelNames("sku").register(registry);
  final Counter feedback =
      Counter.build("shop_feedback_total", "Customer feedback given, by score (1 to 5).").labelNames("score").register(registry);
}
