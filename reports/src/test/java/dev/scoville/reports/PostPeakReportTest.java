package dev.scoville.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.scoville.collector.SeriesStore;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.Actor;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.rules.Incident;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peak with known incidents, one action and known business series: every figure the report prints. */
class PostPeakReportTest {
  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
  private static final Instant END = T0.plus(Duration.ofHours(2));
  private static final Duration WEEK = Duration.ofDays(7);

  private final SeriesStore store = new SeriesStore(Duration.ofDays(9), Clock.fixed(END, ZoneOffset.UTC));
  private final ReportPlan plan = plan();
  private final Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private final FeedbackLog feedback = new FeedbackLog(database, Clock.fixed(END, ZoneOffset.UTC), Duration.ofDays(15));

  @AfterEach
  void closeDatabase() {
    feedback.close();
    database.close();
  }

  @Test
  void printsTheFiguresOfAKnownPeak() throws Exception {
    writeBusiness();
    PostPeakReport report = report();

    assertThat(report.handling()).containsExactly(
        new PostPeakReport.Handling(null, 3, Duration.ofMinutes(4), Duration.ofMinutes(30)),
        new PostPeakReport.Handling(Incident.Severity.CRITICAL, 2, Duration.ofMinutes(2), Duration.ofMinutes(30)),
        new PostPeakReport.Handling(Incident.Severity.ERROR, 1, Duration.ofMinutes(6), Duration.ofMinutes(30)));
    assertThat(report.incidents()).extracting(PostPeakReport.IncidentRow::id).containsExactly(1L, 2L, 3L);
    assertThat(report.rules()).containsExactly(
        new PostPeakReport.RuleRow("PaymentSuccessLow", 2, Duration.ofMinutes(50)),
        new PostPeakReport.RuleRow("CheckoutLatencyHigh", 1, Duration.ofMinutes(30)));

    assertThat(report.actions()).singleElement().satisfies(a -> {
      assertThat(a.action()).isEqualTo("backup-payment-provider");
      assertThat(a.watched()).isEqualTo("payment_success_ratio");
      // the gauge reads 0.8 until the switch at 12:30 and 0.99 from the next scrape, 15 s later
      assertThat(a.before()).isCloseTo(0.80, within(1e-9));
      assertThat(a.after()).isCloseTo((2 * 0.80 + 58 * 0.99) / 60, within(1e-9));
    });

    PostPeakReport.MeasureRow orders = report.measures().get(0);
    assertThat(orders.actual()).isCloseTo(600, within(1e-6));
    assertThat(orders.weekEarlier()).isCloseTo(300, within(1e-6));
    assertThat(orders.versusExpected()).isCloseTo(0.2, within(1e-9));
    assertThat(orders.versusWeekEarlier()).isCloseTo(1.0, within(1e-9));
    PostPeakReport.MeasureRow conversion = report.measures().get(1);
    assertThat(conversion.actual()).isCloseTo(0.03, within(1e-12));
    assertThat(conversion.versusExpected()).isCloseTo(-0.25, within(1e-9));
    assertThat(conversion.versusWeekEarlier()).isCloseTo(0.2, within(1e-9));

    // checkout p95 passes 0.81 s between the scrapes at 13:14:15 and 13:14:30, at 162 % of baseline
    assertThat(report.capacity().get(0).crossedAt()).isEqualTo(T0.plus(Duration.ofSeconds(74 * 60 + 30)));
    assertThat(report.capacity().get(0).trafficAtCrossing()).isCloseTo(1 + 4470 / 7200.0, within(1e-9));
    assertThat(report.capacity().get(1).headroom()).isCloseTo(1 - 0.5 / 0.9, within(1e-9));
    assertThat(ReportTables.capacityHints(report)).containsExactly(
        "Checkout p95 crossed 810 ms at 162 % of baseline traffic (Sat 28 Nov 2026, 13:14 UTC)",
        "Database pool stayed below 90 %: at most 50 %, 44.4 % headroom, up to 200 % of baseline traffic");

    // the card gateway is down from 12:10 to 12:40: 60 of the 240 instants, sampled every 30 s
    assertThat(report.thirdParties()).containsExactly(new PostPeakReport.ThirdPartyRow("Card gateway", 0.75,
        Duration.ofMinutes(30), T0.plus(Duration.ofMinutes(10))));

    // the next peak brings 20 % more: traffic 240 % of baseline; checkout, which crossed at 162 %, needs 48 % more
    PostPeakReport.Forecast forecast = report.forecast();
    assertThat(forecast.nextPeakTraffic()).isCloseTo(2.4, within(1e-9));
    assertThat(forecast.measures().get(0).nextPeak()).isCloseTo(720, within(1e-6));
    assertThat(forecast.components().get(0).capacityNeeded()).isCloseTo(2.4 / (1 + 4470 / 7200.0) - 1, within(1e-9));
    assertThat(forecast.components().get(1).capacityNeeded()).isZero();
    assertThat(ReportTables.forecastHints(report)).containsExactly(
        "Next peak: 120 % of this one's traffic, about 240 % of baseline (this peak reached 200 %)",
        "Checkout p95 needs about 48.1 % more capacity before the next peak (limit 810 ms)",
        "Database pool should hold: projected at most 60 % against its limit of 90 %");

    Map<String, String> csv = ReportTables.csv(report);
    assertThat(csv.get("third-parties.csv")).isEqualTo("third party,availability,unavailable for,first outage\r\n"
        + "Card gateway,75 %,30 min,\"Sat 28 Nov 2026, 12:10 UTC\"\r\n");
    assertThat(csv.get("forecast.csv").lines()).contains("Orders per hour,600/h,720/h");
    assertThat(csv.get("follow-ups.csv")).isEqualTo("priority,follow-up,incident,added by,added\r\n"
        + "high,Raise the checkout database pool,#2,alice,\"Sat 28 Nov 2026, 14:10 UTC\"\r\n");
    assertThat(csv.get("handling.csv")).startsWith("severity,incidents,mean time to acknowledge,mean time to resolve\r\n"
        + "all,3,4 min,30 min\r\ncritical,2,2 min,30 min\r\nerror,1,6 min,30 min\r\n");
    assertThat(csv.get("measures.csv").lines()).contains("Orders per hour,600/h,500/h,+20 %,300/h,+100 %",
        "Conversion,3 %,4 %,-25 %,2.5 %,+20 %");

    // the feedback of FeedbackLogTest: nine in the window, 26 points
    assertThat(ReportTables.feedbackHeadline(report)).isEqualTo("9 feedback, mean 2.89/5; 6 (66.7 %) scored 3 or less");
    assertThat(csv.get("feedback-trend.csv").lines()).hasSize(25).startsWith("from,feedback,mean score",
        "\"Sat 28 Nov 2026, 12:00 UTC\",2,4.5/5", "\"Sat 28 Nov 2026, 12:05 UTC\",3,2/5",
        "\"Sat 28 Nov 2026, 12:10 UTC\",0,").contains("\"Sat 28 Nov 2026, 12:30 UTC\",1,3/5",
        "\"Sat 28 Nov 2026, 12:40 UTC\",1,2/5", "\"Sat 28 Nov 2026, 13:10 UTC\",1,5/5",
        "\"Sat 28 Nov 2026, 13:50 UTC\",1,1/5");
    assertThat(csv.get("feedback-lowest.csv")).isEqualTo("page or topic,feedback,mean score\r\n"
        + "topic: delivery,2,1.5/5\r\npage: /product,1,2/5\r\ntopic: checkout,3,2.33/5\r\n"
        + "topic: product,2,4.5/5\r\nnot given,1,5/5\r\n");
    assertThat(csv.get("feedback-comments.csv")).isEqualTo("at,score,page or topic,comment\r\n"
        + "\"Sat 28 Nov 2026, 12:40 UTC\",2,page: /product,My sauce was sold out\r\n"
        + "\"Sat 28 Nov 2026, 12:31 UTC\",3,topic: checkout,Slow card form\r\n"
        + "\"Sat 28 Nov 2026, 12:08 UTC\",1,topic: checkout,Checkout kept failing\r\n"
        + "\"Sat 28 Nov 2026, 12:07 UTC\",2,topic: delivery,Delivery estimate was wrong\r\n");
    // the console shows the same HTML the PDF is made of
    assertThat(ReportDocument.of(report, plan, store).html()).contains("<h2 class=\"new-page\">Customer feedback</h2>",
        "9 feedback, mean 2.89/5; 6 (66.7 %) scored 3 or less", "The score's trend: the mean per 5 min",
        "<td>topic: delivery</td><td class=\"n\">2</td><td class=\"n\">1.5/5</td>",
        "<td>topic: checkout</td><td>Slow card form</td>");
  }

  @Test
  void thePdfOpensWithItsFiguresAndChartsOfTheRealData() throws Exception {
    writeBusiness();
    PostPeakReport report = report();
    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    ReportDocument.of(report, plan, store).writePdf(pdf);

    try (PDDocument document = Loader.loadPDF(pdf.toByteArray())) {
      String text = new PDFTextStripper().getText(document);
      assertThat(text).contains("Post-peak report", "How incidents were handled", "PaymentSuccessLow",
          "Orders per hour", "+20 %", "+100 %", "Checkout p95 crossed 810 ms at 162 % of baseline traffic",
          "Third parties", "Card gateway", "Forecast for the next peak",
          "Checkout p95 needs about 48.1 % more capacity before the next peak", "Follow-ups",
          "Raise the checkout database pool", "Customer feedback", "9 feedback, mean 2.89/5; 6 (66.7 %) scored 3 or less",
          "Lowest-scored pages and topics", "topic: delivery 2 1.5/5", "My sauce was sold out");
      List<PDImageXObject> images = new ArrayList<>();
      for (var page : document.getPages()) {
        for (var name : page.getResources().getXObjectNames()) {
          if (page.getResources().getXObject(name) instanceof PDImageXObject image) {
            images.add(image);
          }
        }
      }
      assertThat(images).as("a chart per measure and the feedback score's").hasSize(3);
      BufferedImage first = new PDFRenderer(document).renderImageWithDPI(0, 80);
      assertThat(first.getWidth()).isGreaterThan(500);
      Files.createDirectories(Path.of("..", "docs", "screenshots"));
      ImageIO.write(first, "png", Path.of("..", "docs", "screenshots", "report.png").toFile());
      ImageIO.write(new PDFRenderer(document).renderImageWithDPI(document.getNumberOfPages() - 1, 80), "png",
          Path.of("..", "docs", "screenshots", "report-charts.png").toFile());
      ImageIO.write(new PDFRenderer(document).renderImageWithDPI(pageWith(document, "Customer feedback"), 80), "png",
          Path.of("..", "docs", "screenshots", "report-feedback.png").toFile());
    }
  }

  /** The index of the first page whose text holds {@code words}. */
  private static int pageWith(PDDocument document, String words) throws Exception {
    PDFTextStripper stripper = new PDFTextStripper();
    for (int page = 1; page <= document.getNumberOfPages(); page++) {
      stripper.setStartPage(page);
      stripper.setEndPage(page);
      if (stripper.getText(document).contains(words)) {
        return page - 1;
      }
    }
    throw new AssertionError("no page says " + words);
  }

  private PostPeakReport report() {
    List<Incident> incidents = List.of(
        incident(1, "PaymentSuccessLow", Incident.Severity.CRITICAL, 10, 12, 40),
        incident(2, "CheckoutLatencyHigh", Incident.Severity.ERROR, 20, 26, 50),
        incident(3, "PaymentSuccessLow", Incident.Severity.CRITICAL, 100, null, null),
        incident(4, "PaymentSuccessLow", Incident.Severity.CRITICAL, -60, -59, -30));
    List<ActionRun> runs = List.of(
        run(7, "backup-payment-provider", T0.plus(Duration.ofMinutes(30)), "1", false),
        run(6, "backup-payment-provider", T0.plus(Duration.ofMinutes(29)), "1", true),
        run(5, "simplified-site", T0.minus(Duration.ofHours(2)), "4", false));
    Map<String, String> rules = Map.of("PaymentSuccessLow", "payment_success_ratio < 0.95",
        "CheckoutLatencyHigh", "checkout_p95_seconds > 0.8");
    List<FollowUp> followUps = List.of(new FollowUp(9, "Raise the checkout database pool", FollowUp.Priority.HIGH, 2L,
        "alice", END.plusSeconds(600), null, null));
    FeedbackLogTest.writeKnownFeedback(feedback);
    return PostPeakReport.build(T0, END, incidents, runs, store, rule -> Optional.ofNullable(rules.get(rule)), plan,
        feedback.summary(T0, END), followUps);
  }

  /** Orders at 600/h (300/h a week earlier), conversion 3 % (2.5 %), payment success 0.8 until the switch. */
  private void writeBusiness() {
    List<Sample> samples = new ArrayList<>();
    for (Instant t = T0.minus(Duration.ofMinutes(10)); !t.isAfter(END.plusSeconds(60)); t = t.plusSeconds(15)) {
      long n = Duration.between(T0.minus(Duration.ofMinutes(10)), t).toSeconds() / 15;
      samples.add(sample("shop_orders_total", t, 2.5 * n));
      samples.add(sample("shop_orders_total", t.minus(WEEK), 1.25 * n));
      samples.add(sample("conversion_ratio", t, 0.03));
      samples.add(sample("conversion_ratio", t.minus(WEEK), 0.025));
      boolean gatewayDown = !t.isBefore(T0.plus(Duration.ofMinutes(10))) && t.isBefore(T0.plus(Duration.ofMinutes(40)));
      samples.add(sample("gateway_up", t, gatewayDown ? 0 : 1));
      samples.add(sample("payment_success_ratio", t, t.isAfter(T0.plus(Duration.ofMinutes(30))) ? 0.99 : 0.80));
      // traffic climbs from 100 % to 200 % of its baseline over the window; checkout slows with it
      double traffic = 1 + Duration.between(T0, t).toSeconds() / 7200.0;
      samples.add(sample("requests_per_second", t, 20 * traffic));
      samples.add(sample("checkout_p95_seconds", t, 0.5 + 0.5 * (traffic - 1)));
      samples.add(sample("db_pool_ratio", t, 0.3 + 0.2 * (traffic - 1)));
    }
    samples.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
    store.append(samples);
  }

  private static Sample sample(String name, Instant t, double value) {
    return new Sample(Labels.of("__name__", name), t.toEpochMilli(), value);
  }

  private static Incident incident(long id, String rule, Incident.Severity severity, int openedMin, Integer ackMin,
      Integer resolvedMin) {
    return new Incident(id, "scoville-" + rule + "-" + id, rule, "{}", rule, severity,
        resolvedMin != null ? Incident.State.RESOLVED : ackMin != null ? Incident.State.ACKNOWLEDGED : Incident.State.TRIGGERED,
        T0.plus(Duration.ofMinutes(openedMin)), ackMin == null ? null : T0.plus(Duration.ofMinutes(ackMin)),
        ackMin == null ? null : "alice", resolvedMin == null ? null : T0.plus(Duration.ofMinutes(resolvedMin)), null, 0,
        null, List.of());
  }

  private static ActionRun run(long id, String action, Instant at, String incident, boolean dryRun) {
    return new ActionRun(id, action, ActionRun.Kind.RUN, "alice", Actor.Role.COMMANDER, at, incident, "PaymentSuccessLow",
        null, Map.of(), null, dryRun, null, "flag payment-provider: \"primary\" → \"backup\"", null,
        dryRun ? ActionRun.Outcome.DRY_RUN : ActionRun.Outcome.SUCCEEDED, null, at, null, null, null);
  }

  private static ReportPlan plan() {
    return ReportPlan.load(ConfigFile.parse("scoville.yaml", """
        reports:
          measures:
            - { name: Orders per hour, expr: 'sum(rate(shop_orders_total[5m])) * 3600', unit: /h, expected: 500 }
            - { name: Conversion, expr: 'conversion_ratio', unit: ratio, expected: 0.04 }
          traffic: { expr: 'requests_per_second', baseline: 20 }
          limits:
            - { name: Checkout p95, expr: 'checkout_p95_seconds', unit: seconds, above: 0.81 }
            - { name: Database pool, expr: 'db_pool_ratio', unit: ratio, above: 0.9 }
          thirdParties:
            - { name: Card gateway, expr: 'gateway_up' }
          nextPeakGrowth: 1.2
        """, Map.of()), p -> {
      throw new AssertionError(p);
    });
  }
}
