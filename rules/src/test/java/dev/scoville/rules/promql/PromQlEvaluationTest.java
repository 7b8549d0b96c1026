package dev.scoville.rules.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PromQlEvaluationTest {
  private static final long WEEK = 7 * 86_400_000L;

  private final InMemorySeriesReader reader = new InMemorySeriesReader();

  private List<VectorSample> eval(String expression, long atSeconds) throws PromQlException {
    return PromQl.parse(expression).evaluate(reader, atSeconds * 1000);
  }

  private double scalar(String expression) throws PromQlException {
    List<VectorSample> result = eval(expression, 0);
    assertThat(result).hasSize(1);
    assertThat(result.get(0).labels()).isEqualTo(Labels.EMPTY);
    return result.get(0).value();
  }

  /** Label set (in Prometheus notation) to value, for order-independent comparison. */
  private Map<String, Double> byLabels(String expression, long atSeconds) throws PromQlException {
    Map<String, Double> out = new TreeMap<>();
    for (VectorSample s : eval(expression, atSeconds)) {
      out.put(s.labels().toString(), s.value());
    }
    return out;
  }

  @Test
  void scalarArithmeticFollowsPromQlPrecedence() throws Exception {
    assertThat(scalar("1 + 2 * 3")).isEqualTo(7);
    assertThat(scalar("(1 + 2) * 3")).isEqualTo(9);
    assertThat(scalar("10 - 4 - 3")).isEqualTo(3);
    assertThat(scalar("2 ^ 3 ^ 2")).isEqualTo(512);
    assertThat(scalar("-2 ^ 2")).isEqualTo(-4);
    assertThat(scalar("2 ^ -1")).isEqualTo(0.5);
    assertThat(scalar("7 % 4 * 2")).isEqualTo(6);
    assertThat(scalar("1 < bool 1 + 1")).isEqualTo(1);
    assertThat(scalar("2 == bool 2 * 1")).isEqualTo(1);
  }

  @Test
  void instantSelectorTakesTheNewestSampleWithinFiveMinutes() throws Exception {
    reader.add(Labels.of("__name__", "up", "job", "shop"), 60, 1, 0);

    assertThat(byLabels("up", 120)).containsExactly(Map.entry("up{job=\"shop\"}", 0.0));
    assertThat(byLabels("up", 359)).containsExactly(Map.entry("up{job=\"shop\"}", 0.0));
    assertThat(eval("up", 360)).isEmpty();
    assertThat(byLabels("up", 30)).containsExactly(Map.entry("up{job=\"shop\"}", 1.0));
  }

  @Test
  void stalenessMarkerEndsTheLookbackAtOnce() throws Exception {
    reader.add(Labels.of("__name__", "up", "job", "shop"), 60, 1, 1, Sample.STALE_NAN);

    assertThat(byLabels("up", 100)).containsExactly(Map.entry("up{job=\"shop\"}", 1.0));
    assertThat(eval("up", 120)).isEmpty();
    assertThat(eval("up", 200)).isEmpty();
    assertThat(eval("count_over_time(up[5m])", 200))
        .containsExactly(new VectorSample(Labels.of("job", "shop"), 2));
  }

  @Test
  void selectsByEveryMatcherKind() throws Exception {
    reader
        .add(Labels.of("__name__", "http_requests_total", "code", "200"), 15, 1)
        .add(Labels.of("__name__", "http_requests_total", "code", "500"), 15, 2)
        .add(Labels.of("__name__", "http_requests_total", "code", "503"), 15, 3);

    assertThat(eval("http_requests_total{code=\"500\"}", 0)).hasSize(1);
    assertThat(eval("http_requests_total{code!=\"500\"}", 0)).hasSize(2);
    assertThat(eval("http_requests_total{code=~\"5..\"}", 0)).hasSize(2);
    assertThat(eval("http_requests_total{code!~\"5.*\"}", 0)).hasSize(1);
    assertThat(eval("http_requests_total{code=~\"5\"}", 0)).isEmpty();
    assertThat(eval("{__name__=~\"http_.*\", code=\"200\"}", 0)).hasSize(1);
  }

  /**
   * Samples every 15s: 5, 10, 20, 5 (reset), 15. At 60s the window (0s, 60s] holds 10, 20, 5, 15:
   * increase 5 plus 20 lost at the reset = 25 over 45s, extrapolated by 15s to the window start
   * (within 1.1 sample gaps; the zero point lies 18s back, further) = 25 · 60/45.
   */
  @Test
  void rateHandlesCounterResetsAndExtrapolatesLikePrometheus() throws Exception {
    reader.add(Labels.of("__name__", "orders_total", "shop", "eu"), 15, 5, 10, 20, 5, 15);

    assertThat(eval("increase(orders_total[1m])", 60).get(0).value())
        .isCloseTo(100.0 / 3, within(1e-9));
    assertThat(eval("rate(orders_total[1m])", 60).get(0).value()).isCloseTo(5.0 / 9, within(1e-9));
    assertThat(eval("rate(orders_total[1m])", 60).get(0).labels())
        .isEqualTo(Labels.of("shop", "eu"));
    assertThat(eval("irate(orders_total[1m])", 60).get(0).value())
        .isCloseTo(10.0 / 15, within(1e-9));
    assertThat(eval("irate(orders_total[1m])", 45).get(0).value())
        .isCloseTo(5.0 / 15, within(1e-9));
    assertThat(eval("rate((orders_total[1m]))", 60).get(0).value())
        .isCloseTo(5.0 / 9, within(1e-9));
    assertThat(eval("resets(orders_total[1m])", 60).get(0).value()).isEqualTo(1);
    assertThat(eval("changes(orders_total[1m])", 60).get(0).value()).isEqualTo(3);
  }

  /**
   * Samples at 30s and 40s of the window (0s, 60s]: both edges are more than 1.1 gaps (11s) away,
   * so the series is taken to start and end inside the window and each side extends by half a gap,
   * 5s: 10 over 10s becomes 10 over 20s.
   */
  @Test
  void rateExtrapolatesOnlyHalfAGapWhenTheSeriesStartsInsideTheWindow() throws Exception {
    reader.add(Labels.of("__name__", "c"), new long[] {30_000, 40_000}, new double[] {100, 110});

    assertThat(eval("increase(c[1m])", 60).get(0).value()).isCloseTo(10.0 * 20 / 10, within(1e-9));
    assertThat(eval("delta(c[1m])", 60).get(0).value()).isCloseTo(20, within(1e-9));
  }

  @Test
  void rateNeedsTwoSamples() throws Exception {
    reader.add(Labels.of("__name__", "c"), new long[] {50_000}, new double[] {3});

    assertThat(eval("rate(c[1m])", 60)).isEmpty();
    assertThat(eval("irate(c[1m])", 60)).isEmpty();
  }

  @Test
  void histogramQuantileInterpolatesInsideTheBucket() throws Exception {
    bucket("0.1", 10).bucket("0.5", 40).bucket("1", 90).bucket("+Inf", 100);
    Labels route = Labels.of("route", "/checkout");

    // rank 50 falls in (0.5, 1]: 10 of its 50 observations in, so 0.5 + 0.5 · 10/50.
    assertThat(eval("histogram_quantile(0.5, latency_seconds_bucket)", 0))
        .containsExactly(new VectorSample(route, 0.6));
    assertThat(eval("histogram_quantile(0.05, latency_seconds_bucket)", 0).get(0).value())
        .isCloseTo(0.05, within(1e-12));
    // In the +Inf bucket: the largest finite bound is the best answer.
    assertThat(eval("histogram_quantile(0.99, latency_seconds_bucket)", 0).get(0).value())
        .isEqualTo(1);
    assertThat(eval("histogram_quantile(1.5, latency_seconds_bucket)", 0).get(0).value())
        .isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void histogramQuantileWithoutAnInfBucketIsNaN() throws Exception {
    bucket("0.1", 10).bucket("1", 90);

    assertThat(eval("histogram_quantile(0.5, latency_seconds_bucket)", 0).get(0).value()).isNaN();
  }

  /** Summed rates leave float noise between buckets that are really equal; it must not count. */
  @Test
  void histogramQuantileIgnoresFloatNoiseBetweenBuckets() throws Exception {
    bucket("0.5", 10).bucket("1", 10.000000000000002).bucket("+Inf", 10.000000000000002);

    assertThat(eval("histogram_quantile(1, latency_seconds_bucket)", 0).get(0).value())
        .isEqualTo(0.5);
  }

  @Test
  void histogramQuantileForcesDecreasingBucketsMonotonic() throws Exception {
    bucket("0.5", 10).bucket("1", 8).bucket("2", 20).bucket("+Inf", 20);

    // le=1 is read as 10, so rank 15 lies in (1, 2]: 5 of its 10.
    assertThat(eval("histogram_quantile(0.75, latency_seconds_bucket)", 0).get(0).value())
        .isEqualTo(1.5);
  }

  @Test
  void histogramQuantileOverSummedRatesGroupsByTheRemainingLabels() throws Exception {
    for (String le : new String[] {"0.25", "1", "+Inf"}) {
      double perStep = le.equals("0.25") ? 1 : le.equals("1") ? 3 : 4;
      for (String pod : new String[] {"a", "b"}) {
        reader.add(
            Labels.of("__name__", "latency_seconds_bucket", "le", le, "pod", pod, "route", "/cart"),
            15,
            0,
            perStep,
            2 * perStep,
            3 * perStep,
            4 * perStep);
      }
    }

    // Per second: 2/15 fast, 6/15 under 1s, 8/15 in all. Rank 0.5 · 8 = 4 lies in (0.25, 1]:
    // (4 - 2) of its 4 observations, so 0.25 + 0.75 · 2/4.
    assertThat(
            eval(
                "histogram_quantile(0.5, sum by (le, route) (rate(latency_seconds_bucket[1m])))",
                60))
        .hasSize(1)
        .first()
        .satisfies(
            s -> {
              assertThat(s.labels()).isEqualTo(Labels.of("route", "/cart"));
              assertThat(s.value()).isCloseTo(0.625, within(1e-9));
            });
  }

  private PromQlEvaluationTest bucket(String le, double count) {
    reader.add(
        Labels.of("__name__", "latency_seconds_bucket", "le", le, "route", "/checkout"), 15, count);
    return this;
  }

  @Test
  void paymentFailureRatioFiresBelowThreshold() throws Exception {
    reader
        .add(
            Labels.of("__name__", "shop_payments_total", "outcome", "success"),
            15,
            1000,
            1009,
            1018,
            1027,
            1036)
        .add(
            Labels.of("__name__", "shop_payments_total", "outcome", "failure"),
            15,
            100,
            101,
            102,
            103,
            104);
    String rule =
        "sum(rate(shop_payments_total{outcome=\"success\"}[1m]))"
            + " / sum(rate(shop_payments_total[1m])) < 0.95";

    List<VectorSample> result = eval(rule, 60);

    assertThat(result).hasSize(1);
    assertThat(result.get(0).labels()).isEqualTo(Labels.EMPTY);
    assertThat(result.get(0).value()).isCloseTo(0.9, within(1e-9));
  }

  @Test
  void paymentRatioStaysQuietWhenHealthy() throws Exception {
    reader
        .add(Labels.of("__name__", "shop_payments_total", "outcome", "success"), 15, 1, 2, 3, 4, 5)
        .add(Labels.of("__name__", "shop_payments_total", "outcome", "failure"), 15, 7, 7, 7, 7, 7);

    assertThat(
            eval(
                "sum(rate(shop_payments_total{outcome=\"success\"}[1m]))"
                    + " / sum(rate(shop_payments_total[1m])) < 0.95",
                60))
        .isEmpty();
  }

  @Test
  void offsetComparesWithTheSameHourLastWeek() throws Exception {
    Labels conversion = Labels.of("__name__", "shop_conversion_ratio", "shop", "eu");
    reader.add(conversion, new long[] {0, WEEK, 2 * WEEK}, new double[] {0.10, 0.05, 0.09});

    assertThat(
            PromQl.parse("shop_conversion_ratio < 0.7 * shop_conversion_ratio offset 1w")
                .evaluate(reader, WEEK))
        .containsExactly(new VectorSample(conversion, 0.05));
    assertThat(
            PromQl.parse("shop_conversion_ratio < 0.7 * shop_conversion_ratio offset 1w")
                .evaluate(reader, 2 * WEEK))
        .isEmpty();
    assertThat(PromQl.parse("shop_conversion_ratio offset 1w").evaluate(reader, WEEK + 1000))
        .containsExactly(new VectorSample(conversion, 0.10));
  }

  @Test
  void absentReportsTheMissingSelectorLabels() throws Exception {
    reader.add(Labels.of("__name__", "up", "job", "shop"), 15, 1);

    assertThat(eval("absent(up{job=\"shop\"})", 0)).isEmpty();
    assertThat(eval("absent(up{job=\"payments\", env=\"prod\", instance=~\"a.*\"})", 0))
        .containsExactly(new VectorSample(Labels.of("job", "payments", "env", "prod"), 1));
    assertThat(eval("absent(sum(nothing))", 0)).containsExactly(new VectorSample(Labels.EMPTY, 1));
    assertThat(eval("absent_over_time(up{job=\"payments\"}[5m])", 0))
        .containsExactly(new VectorSample(Labels.of("job", "payments"), 1));
    assertThat(eval("absent_over_time(up[5m])", 0)).isEmpty();
  }

  private void requests() {
    reader
        .add(
            Labels.of(
                "__name__", "http_requests_total", "job", "shop", "instance", "a", "code", "200"),
            15,
            10)
        .add(
            Labels.of(
                "__name__", "http_requests_total", "job", "shop", "instance", "a", "code", "500"),
            15,
            1)
        .add(
            Labels.of(
                "__name__", "http_requests_total", "job", "shop", "instance", "b", "code", "200"),
            15,
            30)
        .add(
            Labels.of(
                "__name__", "http_requests_total", "job", "shop", "instance", "b", "code", "500"),
            15,
            3)
        .add(
            Labels.of(
                "__name__", "http_requests_total", "job", "cart", "instance", "c", "code", "200"),
            15,
            5);
  }

  @Test
  void aggregatesByAndWithoutLabelsInEitherPosition() throws Exception {
    requests();

    assertThat(byLabels("sum by (code) (http_requests_total)", 0))
        .containsExactly(Map.entry("{code=\"200\"}", 45.0), Map.entry("{code=\"500\"}", 4.0));
    assertThat(byLabels("sum(http_requests_total) by (job)", 0))
        .containsExactly(Map.entry("{job=\"cart\"}", 5.0), Map.entry("{job=\"shop\"}", 44.0));
    assertThat(byLabels("max without (instance) (http_requests_total)", 0))
        .containsExactly(
            Map.entry("{code=\"200\",job=\"cart\"}", 5.0),
            Map.entry("{code=\"200\",job=\"shop\"}", 30.0),
            Map.entry("{code=\"500\",job=\"shop\"}", 3.0));
    assertThat(scalarOf("sum(http_requests_total)")).isEqualTo(49);
    assertThat(scalarOf("count(http_requests_total)")).isEqualTo(5);
    assertThat(scalarOf("avg(http_requests_total)")).isCloseTo(9.8, within(1e-12));
    assertThat(scalarOf("min(http_requests_total)")).isEqualTo(1);
    assertThat(scalarOf("group(http_requests_total)")).isEqualTo(1);
    assertThat(scalarOf("quantile(0.5, http_requests_total)")).isEqualTo(5);
    assertThat(scalarOf("stddev(http_requests_total{code=\"500\"})")).isEqualTo(1);
    assertThat(byLabels("topk by (job) (1, http_requests_total)", 0))
        .containsExactly(
            Map.entry("http_requests_total{code=\"200\",instance=\"b\",job=\"shop\"}", 30.0),
            Map.entry("http_requests_total{code=\"200\",instance=\"c\",job=\"cart\"}", 5.0));
    assertThat(byLabels("bottomk(1, http_requests_total)", 0))
        .containsOnlyKeys("http_requests_total{code=\"500\",instance=\"a\",job=\"shop\"}");
  }

  private double scalarOf(String aggregation) throws PromQlException {
    List<VectorSample> result = eval(aggregation, 0);
    assertThat(result).hasSize(1);
    assertThat(result.get(0).labels()).isEqualTo(Labels.EMPTY);
    return result.get(0).value();
  }

  @Test
  void matchesVectorsOnOrIgnoringLabels() throws Exception {
    requests();
    reader
        .add(Labels.of("__name__", "capacity", "job", "shop", "instance", "a"), 15, 100)
        .add(Labels.of("__name__", "capacity", "job", "shop", "instance", "b"), 15, 300);

    assertThat(byLabels("http_requests_total{code=\"500\"} / ignoring (code) capacity", 0))
        .containsExactly(
            Map.entry("{instance=\"a\",job=\"shop\"}", 0.01),
            Map.entry("{instance=\"b\",job=\"shop\"}", 0.01));
    assertThat(byLabels("http_requests_total{code=\"200\"} / on (instance) capacity", 0))
        .containsExactly(Map.entry("{instance=\"a\"}", 0.1), Map.entry("{instance=\"b\"}", 0.1));
    // Without on/ignoring, the code label keeps the sides apart.
    assertThat(eval("http_requests_total / capacity", 0)).isEmpty();
  }

  @Test
  void refusesManyToManyMatchingAtEvaluation() throws Exception {
    requests();
    reader.add(Labels.of("__name__", "capacity", "job", "shop"), 15, 100);

    assertThatThrownBy(() -> eval("capacity / on (job) http_requests_total", 0))
        .isInstanceOf(PromQlEvaluationException.class)
        .hasMessageContaining("many-to-many matching not allowed");
    assertThatThrownBy(() -> eval("http_requests_total / on (job) capacity", 0))
        .isInstanceOf(PromQlEvaluationException.class)
        .hasMessageContaining("many-to-one matching must be explicit");
  }

  @Test
  void refusesResultsWhoseSeriesCollideOnceTheNameIsDropped() {
    reader
        .add(Labels.of("__name__", "a_total", "job", "shop"), 15, 1, 2)
        .add(Labels.of("__name__", "b_total", "job", "shop"), 15, 1, 2);

    assertThatThrownBy(() -> eval("rate({__name__=~\".*_total\"}[1m])", 15))
        .isInstanceOf(PromQlEvaluationException.class)
        .hasMessageContaining("vector cannot contain metrics with the same labelset");
  }

  @Test
  void comparisonsFilterAndKeepTheVectorValue() throws Exception {
    requests();

    assertThat(byLabels("http_requests_total > 10", 0))
        .containsExactly(
            Map.entry("http_requests_total{code=\"200\",instance=\"b\",job=\"shop\"}", 30.0));
    assertThat(byLabels("10 < http_requests_total", 0))
        .containsExactly(
            Map.entry("http_requests_total{code=\"200\",instance=\"b\",job=\"shop\"}", 30.0));
    assertThat(byLabels("http_requests_total{job=\"cart\"} >= bool 10", 0))
        .containsExactly(Map.entry("{code=\"200\",instance=\"c\",job=\"cart\"}", 0.0));
    assertThat(
            byLabels(
                "http_requests_total{code=\"500\"} > http_requests_total{code=\"500\"} - 2", 0))
        .hasSize(2)
        .containsEntry("http_requests_total{code=\"500\",instance=\"a\",job=\"shop\"}", 1.0);
    assertThat(byLabels("http_requests_total{job=\"cart\"} * 2 + 1", 0))
        .containsExactly(Map.entry("{code=\"200\",instance=\"c\",job=\"cart\"}", 11.0));
    assertThat(byLabels("-http_requests_total{job=\"cart\"}", 0))
        .containsExactly(Map.entry("{code=\"200\",instance=\"c\",job=\"cart\"}", -5.0));
  }

  @Test
  void setOperatorsCombineByLabelsIgnoringTheMetricName() throws Exception {
    reader
        .add(Labels.of("__name__", "up", "job", "shop"), 15, 0)
        .add(Labels.of("__name__", "up", "job", "cart"), 15, 1)
        .add(Labels.of("__name__", "maintenance", "job", "cart"), 15, 1)
        .add(Labels.of("__name__", "maintenance", "job", "search"), 15, 1);

    assertThat(byLabels("up and maintenance", 0)).containsOnlyKeys("up{job=\"cart\"}");
    assertThat(byLabels("up unless maintenance", 0)).containsOnlyKeys("up{job=\"shop\"}");
    assertThat(byLabels("up or maintenance", 0))
        .containsOnlyKeys("up{job=\"shop\"}", "up{job=\"cart\"}", "maintenance{job=\"search\"}");
    assertThat(byLabels("up == 0 unless on (job) maintenance or up{job=\"nope\"}", 0))
        .containsOnlyKeys("up{job=\"shop\"}");
  }

  @Test
  void overTimeFunctionsSummariseTheWindow() throws Exception {
    reader.add(Labels.of("__name__", "queue_depth", "queue", "orders"), 60, 4, 8, 6, 2, 10);
    Labels queue = Labels.of("queue", "orders");

    // At 240s the 5m window (-60s, 240s] holds all five samples.
    assertThat(eval("avg_over_time(queue_depth[5m])", 240))
        .containsExactly(new VectorSample(queue, 6));
    assertThat(eval("min_over_time(queue_depth[5m])", 240))
        .containsExactly(new VectorSample(queue, 2));
    assertThat(eval("max_over_time(queue_depth[5m])", 240))
        .containsExactly(new VectorSample(queue, 10));
    assertThat(eval("sum_over_time(queue_depth[5m])", 240))
        .containsExactly(new VectorSample(queue, 30));
    assertThat(eval("count_over_time(queue_depth[2m])", 240))
        .containsExactly(new VectorSample(queue, 2));
    assertThat(eval("quantile_over_time(0.5, queue_depth[5m])", 240))
        .containsExactly(new VectorSample(queue, 6));
    assertThat(eval("stdvar_over_time(queue_depth[5m])", 240))
        .containsExactly(new VectorSample(queue, 8));
    assertThat(eval("last_over_time(queue_depth[5m])", 240))
        .containsExactly(
            new VectorSample(Labels.of("__name__", "queue_depth", "queue", "orders"), 10));
    assertThat(eval("present_over_time(queue_depth[5m])", 240))
        .containsExactly(new VectorSample(queue, 1));
  }

  @Test
  void derivAndPredictLinearFitALine() throws Exception {
    // Free disk falls by 60 bytes a minute: 1 per second.
    reader.add(Labels.of("__name__", "disk_free_bytes"), 60, 1000, 940, 880, 820, 760);

    assertThat(eval("deriv(disk_free_bytes[5m])", 240).get(0).value()).isCloseTo(-1, within(1e-9));
    assertThat(eval("predict_linear(disk_free_bytes[5m], 600)", 240).get(0).value())
        .isCloseTo(160, within(1e-6));
    assertThat(eval("predict_linear(disk_free_bytes[5m], 3600) < 0", 240)).hasSize(1);
  }

  @Test
  void mathFunctionsDropTheMetricName() throws Exception {
    reader.add(Labels.of("__name__", "temperature", "room", "dc"), 15, -3.6);
    Labels room = Labels.of("room", "dc");

    assertThat(eval("abs(temperature)", 0)).containsExactly(new VectorSample(room, 3.6));
    assertThat(eval("clamp_min(temperature, 0)", 0)).containsExactly(new VectorSample(room, 0));
    assertThat(eval("clamp_max(temperature, -5)", 0)).containsExactly(new VectorSample(room, -5));
    assertThat(eval("clamp(temperature, -1, 1)", 0)).containsExactly(new VectorSample(room, -1));
    assertThat(eval("clamp(temperature, 1, -1)", 0)).isEmpty();
    assertThat(eval("round(temperature)", 0)).containsExactly(new VectorSample(room, -4));
    assertThat(eval("round(temperature, 0.5)", 0)).containsExactly(new VectorSample(room, -3.5));
    assertThat(eval("ceil(temperature)", 0)).containsExactly(new VectorSample(room, -3));
    assertThat(eval("floor(temperature)", 0)).containsExactly(new VectorSample(room, -4));
    assertThat(eval("deg(rad(temperature))", 0).get(0).value()).isCloseTo(-3.6, within(1e-12));
    assertThat(eval("sinh(asinh(temperature))", 0).get(0).value()).isCloseTo(-3.6, within(1e-12));
    assertThat(eval("tanh(atanh(temperature / 10))", 0).get(0).value())
        .isCloseTo(-0.36, within(1e-12));
    assertThat(eval("cosh(acosh(-temperature))", 0).get(0).value()).isCloseTo(3.6, within(1e-12));
    assertThat(eval("sin(temperature) ^ 2 + cos(temperature) ^ 2", 0).get(0).value())
        .isCloseTo(1, within(1e-12));
    assertThat(eval("atan(tan(temperature + pi()))", 0).get(0).value())
        .isCloseTo(-3.6 + Math.PI, within(1e-12));
    assertThat(eval("asin(temperature / 10) + acos(temperature / 10)", 0).get(0).value())
        .isCloseTo(Math.PI / 2, within(1e-12));
  }

  @Test
  void scalarAndVectorConvert() throws Exception {
    reader.add(Labels.of("__name__", "up", "job", "shop"), 15, 1);

    assertThat(eval("time()", 90)).containsExactly(new VectorSample(Labels.EMPTY, 90));
    assertThat(eval("vector(1)", 0)).containsExactly(new VectorSample(Labels.EMPTY, 1));
    assertThat(eval("scalar(up) * 3", 0)).containsExactly(new VectorSample(Labels.EMPTY, 3));
    assertThat(eval("scalar(nothing)", 0).get(0).value()).isNaN();
    assertThat(eval("up - time()", 2))
        .containsExactly(new VectorSample(Labels.of("job", "shop"), -1));
  }

  @Test
  void calendarFunctionsReadTheEvaluationTimeInUtc() throws Exception {
    // 2026-11-29T14:30:00Z is a Sunday.
    long at = java.time.Instant.parse("2026-11-29T14:30:00Z").getEpochSecond();

    assertThat(eval("hour()", at)).containsExactly(new VectorSample(Labels.EMPTY, 14));
    assertThat(eval("minute()", at).get(0).value()).isEqualTo(30);
    assertThat(eval("day_of_week()", at).get(0).value()).isEqualTo(0);
    assertThat(eval("day_of_month()", at).get(0).value()).isEqualTo(29);
    assertThat(eval("days_in_month()", at).get(0).value()).isEqualTo(30);
    assertThat(eval("month()", at).get(0).value()).isEqualTo(11);
    assertThat(eval("year()", at).get(0).value()).isEqualTo(2026);
    assertThat(eval("day_of_year()", at).get(0).value()).isEqualTo(333);
    assertThat(scalar("hour() >= bool 9")).isZero();
  }

  @Test
  void calendarFunctionsReadSampleValuesAsEpochSeconds() throws Exception {
    reader.add(Labels.of("__name__", "last_order_time", "shop", "eu"), 15, 86_400 * 3 + 3600);

    assertThat(eval("day_of_week(last_order_time)", 0))
        .containsExactly(new VectorSample(Labels.of("shop", "eu"), 0));
    assertThat(eval("hour(last_order_time)", 0).get(0).value()).isEqualTo(1);
  }

  @Test
  void sortKeepsLabelsAndOrdersByValue() throws Exception {
    reader
        .add(Labels.of("__name__", "q", "n", "a"), 15, 2)
        .add(Labels.of("__name__", "q", "n", "b"), 15, Double.NaN)
        .add(Labels.of("__name__", "q", "n", "c"), 15, -1);

    assertThat(eval("sort(q)", 0))
        .extracting(s -> s.labels().get("n"))
        .containsExactly("c", "a", "b");
    assertThat(eval("sort_desc(q)", 0))
        .extracting(s -> s.labels().toString())
        .containsExactly("q{n=\"a\"}", "q{n=\"c\"}", "q{n=\"b\"}");
    assertThat(eval("sgn(q)", 0))
        .extracting(VectorSample::value)
        .containsExactly(1.0, Double.NaN, -1.0);
  }

  @Test
  void labelReplaceExpandsGroupsLikeGo() throws Exception {
    reader
        .add(Labels.of("__name__", "up", "instance", "web-1:9100"), 15, 1)
        .add(Labels.of("__name__", "up", "instance", "db"), 15, 1);

    assertThat(byLabels("label_replace(up, \"host\", \"$1\", \"instance\", \"(.*):.*\")", 0))
        .containsOnlyKeys("up{host=\"web-1\",instance=\"web-1:9100\"}", "up{instance=\"db\"}");
    assertThat(
            byLabels(
                "label_replace(up, \"port\", \"${port}$$\", \"instance\","
                    + " \"(?P<host>[^:]+):(?P<port>.*)\")",
                0))
        .containsKey("up{instance=\"web-1:9100\",port=\"9100$\"}");
    // "$1x" names the missing group "1x": it expands to nothing, and an empty value drops the
    // label.
    assertThat(
            byLabels(
                "label_replace(up{instance=\"db\"}, \"instance\", \"$1x\", \"instance\", \"(.*)\")",
                0))
        .containsOnlyKeys("up{}");
  }

  @Test
  void labelJoinConcatenatesSourceLabels() throws Exception {
    reader.add(Labels.of("__name__", "up", "host", "web", "port", "80"), 15, 1);

    assertThat(byLabels("label_join(up, \"address\", \":\", \"host\", \"port\", \"none\")", 0))
        .containsOnlyKeys("up{address=\"web:80:\",host=\"web\",port=\"80\"}");
  }

  @Test
  void offsetShiftsTheRangeOfRate() throws Exception {
    // 1 per 15s for the first two minutes, then 4 per 15s.
    reader.add(
        Labels.of("__name__", "orders_total"),
        15,
        0,
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        12,
        16,
        20,
        24,
        28,
        32,
        36,
        40);

    assertThat(eval("rate(orders_total[1m])", 240).get(0).value())
        .isCloseTo(4.0 / 15, within(1e-9));
    assertThat(eval("rate(orders_total[1m] offset 2m)", 240).get(0).value())
        .isCloseTo(1.0 / 15, within(1e-9));
    assertThat(eval("rate(orders_total[1m]) > 3 * rate(orders_total[1m] offset 2m)", 240))
        .hasSize(1);
  }

  @Test
  void arithmeticBetweenVectorsAppliesEveryOperator() throws Exception {
    reader
        .add(Labels.of("__name__", "a", "k", "x"), 15, 7)
        .add(Labels.of("__name__", "b", "k", "x"), 15, 2);

    assertThat(eval("a + b", 0)).containsExactly(new VectorSample(Labels.of("k", "x"), 9));
    assertThat(eval("a - b", 0).get(0).value()).isEqualTo(5);
    assertThat(eval("a * b", 0).get(0).value()).isEqualTo(14);
    assertThat(eval("a / b", 0).get(0).value()).isEqualTo(3.5);
    assertThat(eval("a % b", 0).get(0).value()).isEqualTo(1);
    assertThat(eval("a ^ b", 0).get(0).value()).isEqualTo(49);
    assertThat(eval("b atan2 b", 0).get(0).value()).isCloseTo(Math.PI / 4, within(1e-12));
    assertThat(eval("a / (b - b)", 0).get(0).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(eval("a < bool b", 0)).containsExactly(new VectorSample(Labels.of("k", "x"), 0));
    assertThat(eval("a > b", 0))
        .containsExactly(new VectorSample(Labels.of("__name__", "a", "k", "x"), 7));
  }

  @Test
  void topkPrefersNumbersOverNaN() throws Exception {
    reader
        .add(Labels.of("__name__", "q", "n", "a"), 15, Double.NaN)
        .add(Labels.of("__name__", "q", "n", "b"), 15, 1);

    assertThat(eval("topk(1, q)", 0)).extracting(s -> s.labels().get("n")).containsExactly("b");
    assertThat(eval("bottomk(1, q)", 0)).extracting(s -> s.labels().get("n")).containsExactly("b");
    assertThat(eval("topk(0, q)", 0)).isEmpty();
    assertThat(eval("max(q)", 0).get(0).value()).isEqualTo(1);
  }

  @Test
  void timestampTellsWhenTheSampleWasTaken() throws Exception {
    reader.add(Labels.of("__name__", "up", "job", "shop"), new long[] {30_000}, new double[] {1});

    assertThat(eval("timestamp(up)", 100))
        .containsExactly(new VectorSample(Labels.of("job", "shop"), 30));
    assertThat(eval("timestamp((up))", 100).get(0).value()).isEqualTo(30);
    assertThat(eval("timestamp(up * 1)", 100).get(0).value()).isEqualTo(100);
    assertThat(eval("time() - timestamp(up) > 60", 100)).hasSize(1);
  }

  @Test
  void countValuesCountsSeriesPerValue() throws Exception {
    reader
        .add(Labels.of("__name__", "build", "job", "shop", "pod", "a"), 15, 2)
        .add(Labels.of("__name__", "build", "job", "shop", "pod", "b"), 15, 2)
        .add(Labels.of("__name__", "build", "job", "shop", "pod", "c"), 15, 3.5)
        .add(
            Labels.of("__name__", "build", "job", "cart", "pod", "d"),
            15,
            Double.POSITIVE_INFINITY);

    assertThat(byLabels("count_values by (job) (\"version\", build)", 0))
        .containsExactly(
            Map.entry("{job=\"cart\",version=\"+Inf\"}", 1.0),
            Map.entry("{job=\"shop\",version=\"2\"}", 2.0),
            Map.entry("{job=\"shop\",version=\"3.5\"}", 1.0));
  }

  @Test
  void groupLeftCopiesLabelsFromTheOneSide() throws Exception {
    reader
        .add(Labels.of("__name__", "req", "instance", "a", "path", "/x"), 15, 3)
        .add(Labels.of("__name__", "req", "instance", "a", "path", "/y"), 15, 4)
        .add(Labels.of("__name__", "req", "instance", "b", "path", "/x"), 15, 5)
        .add(Labels.of("__name__", "info", "instance", "a", "node", "n1", "version", "1"), 15, 1)
        .add(Labels.of("__name__", "info", "instance", "b", "node", "n2"), 15, 2);

    assertThat(byLabels("req * on (instance) group_left (node, version) info", 0))
        .containsExactly(
            Map.entry("{instance=\"a\",node=\"n1\",path=\"/x\",version=\"1\"}", 3.0),
            Map.entry("{instance=\"a\",node=\"n1\",path=\"/y\",version=\"1\"}", 4.0),
            Map.entry("{instance=\"b\",node=\"n2\",path=\"/x\"}", 10.0));
    assertThat(byLabels("info * on (instance) group_right (node) req", 0))
        .containsOnlyKeys(
            "{instance=\"a\",node=\"n1\",path=\"/x\"}",
            "{instance=\"a\",node=\"n1\",path=\"/y\"}",
            "{instance=\"b\",node=\"n2\",path=\"/x\"}");
    // A comparison keeps the left-hand value, whichever side is "many".
    assertThat(byLabels("info < on (instance) group_right req", 0))
        .containsEntry("req{instance=\"b\",path=\"/x\"}", 2.0).hasSize(3);
  }

  @Test
  void manyToManyMatchesFailAsInPrometheus() throws Exception {
    reader
        .add(Labels.of("__name__", "req", "instance", "a", "path", "/x"), 15, 3)
        .add(Labels.of("__name__", "req", "instance", "a", "path", "/y"), 15, 4)
        .add(Labels.of("__name__", "info", "instance", "a", "node", "n1"), 15, 1);

    assertThatThrownBy(() -> eval("info * on (instance) group_left req", 0))
        .isInstanceOf(PromQlEvaluationException.class)
        .hasMessageStartingWith("found duplicate series for the match group {instance=\"a\"} on the right hand-side")
        .hasMessageEndingWith(";many-to-many matching not allowed: matching labels must be unique on one side");
    assertThatThrownBy(() -> eval("req * on (instance) info", 0))
        .hasMessage("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
    assertThatThrownBy(() -> eval("req * ignoring (path) group_right info", 0))
        .hasMessageContaining("on the left hand-side");
  }

  @Test
  void subqueryEvaluatesTheExpressionAtEveryAlignedStep() throws Exception {
    // 0, 10, 20, … every 15 s
    reader.add(Labels.of("__name__", "c", "job", "j"), 15, 0, 10, 20, 30, 40, 50, 60, 70, 80);

    // Steps at 60, 90, 120 (60 excluded: the range is left-open): values 40, 60, 80.
    assertThat(byLabels("max_over_time(c[60s:30s])", 120)).containsExactly(Map.entry("{job=\"j\"}", 80.0));
    assertThat(byLabels("count_over_time(c[60s:30s])", 120)).containsExactly(Map.entry("{job=\"j\"}", 2.0));
    assertThat(byLabels("sum_over_time(c[60s:30s] offset 30s)", 120))
        .containsExactly(Map.entry("{job=\"j\"}", 100.0));
    assertThat(byLabels("rate(c[60s:15s])", 120)).containsExactly(Map.entry("{job=\"j\"}", 10 / 15.0));
    // The default step of an instant query is one minute.
    assertThat(byLabels("count_over_time(c[2m:])", 120)).containsExactly(Map.entry("{job=\"j\"}", 2.0));
  }

  @Test
  void atModifierPinsTheInstantAStartOrEndOfTheQuery() throws Exception {
    reader.add(Labels.of("__name__", "c", "job", "j"), 15, 0, 10, 20, 30, 40, 50, 60, 70, 80);

    assertThat(byLabels("c @ 30", 120)).containsExactly(Map.entry("c{job=\"j\"}", 20.0));
    assertThat(byLabels("c @ 45 offset 15s", 120)).containsExactly(Map.entry("c{job=\"j\"}", 20.0));
    assertThat(byLabels("c @ end()", 45)).containsExactly(Map.entry("c{job=\"j\"}", 30.0));
    assertThat(PromQl.parse("c @ start()").evaluate(reader, 120_000, new Query.Bounds(15_000, 120_000, 60_000)))
        .extracting(VectorSample::value).containsExactly(10.0);
    assertThat(byLabels("increase(c[30s] @ 60)", 120)).containsExactly(Map.entry("{job=\"j\"}", 20.0));
  }
}
