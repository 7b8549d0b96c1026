package dev.scoville.rules.query;

import dev.scoville.core.Labels;
import dev.scoville.core.PrometheusDuration;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.GoFloat;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlEvaluationException;
import dev.scoville.rules.promql.PromQlException;
import dev.scoville.rules.promql.Query;
import dev.scoville.rules.promql.QueryBudget;
import dev.scoville.rules.promql.QueryTimeoutException;
import dev.scoville.rules.promql.VectorSample;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The query half of Prometheus's HTTP API ({@code /api/v1/query}, {@code /api/v1/query_range})
 * over Scoville's PromQL subset, with Prometheus's JSON shapes, so that the console, tests and
 * tools that speak to Prometheus (Grafana's Prometheus data source among them) can read the
 * series. Evaluation runs on a pool of its own, a few queries at a time (as Prometheus's
 * {@code --query.max-concurrency}), so that however heavy they get, alert intake, acknowledgements
 * and silences never wait behind them. A query is stopped past {@code query.timeout} (queueing
 * included, as Prometheus's {@code --query.timeout}) and answered 503 {@code timeout}, and one
 * that would hold more than {@code query.maxSamples} samples is answered 422 {@code execution},
 * with Prometheus's messages.
 */
public final class QueryRoutes {
  /** As Prometheus: a range query may not ask for more points per series than this. */
  private static final long MAX_POINTS = 11_000;
  /** Queries evaluated at once; more wait their turn. */
  public static final int MAX_CONCURRENCY = 4;
  /**
   * How long past its deadline a query is still given to stop by itself: evaluation checks the
   * deadline between selectors, and its own answer says whether it timed out queueing or running.
   */
  private static final Duration GRACE = Duration.ofSeconds(1);

  private final WorkerExecutor queries;
  private final SeriesReader series;
  private final Clock clock;
  private final QueryConfig limits;

  /** With Prometheus's default limits. */
  public QueryRoutes(Vertx vertx, SeriesReader series, Clock clock) {
    this(vertx, series, clock, QueryConfig.defaults());
  }

  public QueryRoutes(Vertx vertx, SeriesReader series, Clock clock, QueryConfig limits) {
    this.queries = vertx.createSharedWorkerExecutor("scoville-queries", MAX_CONCURRENCY);
    this.series = series;
    this.clock = clock;
    this.limits = limits;
  }

  public void mount(Router router) {
    router.route("/api/v1/query*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
    router.route("/api/v1/query").handler(this::instant);
    router.route("/api/v1/query_range").handler(this::range);
  }

  private void instant(RoutingContext ctx) {
    long arrived = System.nanoTime();
    QueryBudget budget;
    Query query;
    long time;
    try {
      budget = budget(ctx, arrived);
      query = parse(ctx);
      String t = ctx.request().getParam("time");
      time = t == null ? clock.millis() : parseTime("time", t);
    } catch (ExecutionError e) {
      error(ctx, 422, "execution", e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      badData(ctx, e.getMessage());
      return;
    }
    evaluate(budget, () -> vectorResult(query, query.evaluate(series, time, Query.Bounds.instant(time), budget), time))
        .onSuccess(data -> success(ctx, data))
        .onFailure(e -> failed(ctx, e));
  }

  private void range(RoutingContext ctx) {
    long arrived = System.nanoTime();
    QueryBudget budget;
    Query query;
    long start;
    long end;
    long step;
    try {
      budget = budget(ctx, arrived);
      query = parse(ctx);
      start = parseTime("start", required(ctx, "start"));
      end = parseTime("end", required(ctx, "end"));
      step = parseStep(required(ctx, "step"));
      if (end < start) {
        throw new IllegalArgumentException("invalid parameter \"end\": end timestamp must not be before start time");
      }
      if ((end - start) / step > MAX_POINTS) {
        throw new IllegalArgumentException("exceeded maximum resolution of 11,000 points per timeseries."
            + " Try decreasing the query resolution (?step=XX)");
      }
    } catch (ExecutionError e) {
      error(ctx, 422, "execution", e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      badData(ctx, e.getMessage());
      return;
    }
    evaluate(budget, () -> {
      // Series in label order, as Prometheus sorts a matrix.
      Map<Labels, JsonArray> matrix = new TreeMap<>();
      Query.Bounds bounds = new Query.Bounds(start, end, Query.Bounds.DEFAULT_SUBQUERY_STEP_MILLIS);
      long points = 0;
      for (long t = start; t <= end; t += step) {
        // The result so far is held while the next step loads its samples.
        budget.holdOnly(points);
        for (VectorSample sample : query.evaluate(series, t, bounds, budget)) {
          matrix.computeIfAbsent(sample.labels(), l -> new JsonArray()).add(point(t, sample.value()));
          points++;
        }
      }
      JsonArray result = new JsonArray();
      matrix.forEach((labels, values) -> result.add(new JsonObject().put("metric", metric(labels)).put("values", values)));
      return new JsonObject().put("resultType", "matrix").put("result", result);
    }).onSuccess(data -> success(ctx, data)).onFailure(e -> failed(ctx, e));
  }

  /**
   * On the query pool, unordered; a query whose deadline passed while it queued is not started.
   * Should evaluation overrun its deadline by more than {@link #GRACE} (a single selector's read is
   * not interrupted), the answer goes out anyway and the evaluation stops at its next check.
   */
  private Future<JsonObject> evaluate(QueryBudget budget, Callable<JsonObject> work) {
    return queries.<JsonObject>executeBlocking(() -> {
      if (budget.expired()) {
        throw new QueryTimeoutException("query timed out in query queue");
      }
      return work.call();
    }, false).timeout(limits.timeout().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Query parse(RoutingContext ctx) {
    String text = required(ctx, "query");
    try {
      return PromQl.parse(text);
    } catch (PromQlException e) {
      if (e.prometheusFailsAtEvaluation()) {
        throw new ExecutionError(e.getMessage());
      }
      throw new IllegalArgumentException("invalid parameter \"query\": " + e.getMessage(), e);
    }
  }

  /** What Prometheus reports as an execution error (422) though Scoville finds it while parsing. */
  private static final class ExecutionError extends IllegalArgumentException {
    ExecutionError(String message) {
      super(message);
    }
  }

  private static String required(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("invalid parameter \"" + name + "\": missing");
    }
    return value;
  }

  /** Unix seconds with a fraction, or RFC 3339, as Prometheus accepts them. */
  static long parseTime(String name, String text) {
    try {
      return new BigDecimal(text).movePointRight(3).longValue();
    } catch (NumberFormatException e) {
      try {
        return Instant.parse(text).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("invalid parameter \"" + name + "\": cannot parse \"" + text + "\" to a valid timestamp");
      }
    }
  }

  /**
   * The query's budget from its arrival: {@code query.timeout}, or less when the request asks for
   * less with Prometheus's {@code timeout} parameter (as Grafana sends it); never more.
   */
  private QueryBudget budget(RoutingContext ctx, long arrivedNanos) {
    Duration timeout = limits.timeout();
    String asked = ctx.request().getParam("timeout");
    if (asked != null && !asked.isBlank()) {
      Duration shorter = Duration.ofMillis(parseDuration("timeout", asked));
      if (shorter.compareTo(timeout) < 0) {
        timeout = shorter;
      }
    }
    return QueryBudget.of(timeout, limits.maxSamples(), arrivedNanos);
  }

  /** Seconds with a fraction, or a Prometheus duration such as {@code 30s}, in milliseconds. */
  private static long parseDuration(String name, String text) {
    try {
      return new BigDecimal(text).movePointRight(3).longValue();
    } catch (NumberFormatException e) {
      try {
        return PrometheusDuration.parse(text).toMillis();
      } catch (IllegalArgumentException e2) {
        throw new IllegalArgumentException("invalid parameter \"" + name + "\": cannot parse \"" + text + "\" to a valid duration");
      }
    }
  }

  private static long parseStep(String text) {
    long millis = parseDuration("step", text);
    if (millis <= 0) {
      throw new IllegalArgumentException("zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    return millis;
  }

  private static JsonObject vectorResult(Query query, List<VectorSample> samples, long time) {
    if (query.isScalar()) {
      return new JsonObject().put("resultType", "scalar").put("result", point(time, samples.get(0).value()));
    }
    JsonArray result = new JsonArray();
    for (VectorSample s : samples) {
      result.add(new JsonObject().put("metric", metric(s.labels())).put("value", point(time, s.value())));
    }
    return new JsonObject().put("resultType", "vector").put("result", result);
  }

  private static JsonObject metric(Labels labels) {
    JsonObject metric = new JsonObject();
    for (int i = 0; i < labels.size(); i++) {
      metric.put(labels.name(i), labels.value(i));
    }
    return metric;
  }

  private static JsonArray point(long millis, double value) {
    return new JsonArray().add(millis / 1000.0).add(GoFloat.sampleValue(value));
  }

  private static void success(RoutingContext ctx, JsonObject data) {
    ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "success").put("data", data).encode());
  }

  private static void badData(RoutingContext ctx, String message) {
    error(ctx, 400, "bad_data", message);
  }

  private static void failed(RoutingContext ctx, Throwable e) {
    if (e instanceof PromQlEvaluationException) {
      error(ctx, 422, "execution", e.getMessage());
    } else if (e instanceof QueryTimeoutException) {
      error(ctx, 503, "timeout", e.getMessage());
    } else if (e instanceof TimeoutException) {
      error(ctx, 503, "timeout", "query timed out in expression evaluation");
    } else {
      ctx.fail(e);
    }
  }

  private static void error(RoutingContext ctx, int status, String type, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "error").put("errorType", type).put("error", message).encode());
  }
}
