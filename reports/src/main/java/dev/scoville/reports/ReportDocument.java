package dev.scoville.reports;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import dev.scoville.core.SeriesReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report as a document: XHTML for the console and the source of the PDF, with a chart image of
 * every measure drawn from the real series.
 */
public final class ReportDocument {
  private static final String STYLE = """
      @page { size: A4 landscape; margin: 14mm; }
      body { font-family: sans-serif; font-size: 10pt; color: #222; }
      h1 { font-size: 18pt; margin-bottom: 0; }
      h2 { font-size: 13pt; margin-top: 18pt; border-bottom: 1px solid #999; }
      h3 { font-size: 11pt; margin-top: 10pt; }
      h2.new-page { page-break-before: always; }
      table { border-collapse: collapse; width: 100%; margin-top: 4pt; }
      th, td { border: 1px solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top; }
      th { background: #eee; }
      td.n { text-align: right; }
      img { width: 100%; margin-top: 6pt; page-break-inside: avoid; }
      .muted { color: #666; }
      """;

  private final PostPeakReport report;
  private final Map<String, byte[]> charts = new LinkedHashMap<>();
  private byte[] feedbackChart;

  private ReportDocument(PostPeakReport report) {
    this.report = report;
  }

  /** The document of {@code report}, its charts drawn from {@code series}. */
  public static ReportDocument of(PostPeakReport report, ReportPlan plan, SeriesReader series) {
    ReportDocument document = new ReportDocument(report);
    for (Measure m : plan.measures()) {
      document.charts.put(m.name(), ReportCharts.measure(m, series, report.from(), report.to()));
    }
    if (report.feedback().count() > 0) {
      document.feedbackChart = ReportCharts.feedbackTrend(report.feedback());
    }
    return document;
  }

  public PostPeakReport report() {
    return report;
  }

  /** A whole XHTML page (openhtmltopdf reads XHTML only). */
  public String html() {
    StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><meta charset=\"utf-8\"/>")
        .append("<title>Post-peak report</title><style>").append(STYLE).append("</style></head><body>");
    h.append("<h1>Post-peak report</h1><p class=\"muted\">").append(esc(ReportFormat.when(report.from()))).append(" to ")
        .append(esc(ReportFormat.when(report.to()))).append("</p>");

    h.append("<h2>How incidents were handled</h2>");
    table(h, ReportTables.HANDLING_COLUMNS, ReportTables.handling(report), 1);
    h.append("<h2>Incidents</h2>");
    if (report.incidents().isEmpty()) {
      h.append("<p>No incident opened in this window.</p>");
    } else {
      table(h, ReportTables.INCIDENT_COLUMNS, ReportTables.incidents(report), 0);
    }
    h.append("<h2>Rules that fired</h2>");
    table(h, ReportTables.RULE_COLUMNS, ReportTables.rules(report), 1);
    h.append("<h2>Actions and their effect</h2><p class=\"muted\">The value the incident's rule watches, averaged over")
        .append(" the five minutes before the action and the five after.</p>");
    if (report.actions().isEmpty()) {
      h.append("<p>No action was run in this window.</p>");
    } else {
      table(h, ReportTables.ACTION_COLUMNS, ReportTables.actions(report), 0);
    }
    h.append("<h2>Results against the plan and a week earlier</h2>");
    table(h, ReportTables.MEASURE_COLUMNS, ReportTables.measures(report), 1);
    if (!report.capacity().isEmpty()) {
      h.append("<h2>Capacity: what saturated first, and the headroom left</h2><ul>");
      ReportTables.capacityHints(report).forEach(hint -> h.append("<li>").append(esc(hint)).append("</li>"));
      h.append("</ul>");
    }
    if (!report.thirdParties().isEmpty()) {
      h.append("<h2>Third parties</h2><p class=\"muted\">The share of the window each was available, sampled")
          .append(" at 240 instants.</p>");
      table(h, ReportTables.THIRD_PARTY_COLUMNS, ReportTables.thirdParties(report), 1);
    }
    // On a page of its own in the PDF, so that its chart and tables read together.
    h.append("<h2 class=\"new-page\">Customer feedback</h2><p>").append(esc(ReportTables.feedbackHeadline(report)))
        .append("</p>");
    if (report.feedback().count() > 0) {
      image(h, "Feedback score", feedbackChart);
      h.append("<h3>Lowest-scored pages and topics</h3>");
      table(h, ReportTables.FEEDBACK_SUBJECT_COLUMNS, ReportTables.feedbackSubjects(report), 1);
      h.append("<h3>Recent comments scored ").append(FeedbackSummary.LOW).append(" or less</h3>");
      if (report.feedback().comments().isEmpty()) {
        h.append("<p>No comment came with a low score.</p>");
      } else {
        table(h, ReportTables.FEEDBACK_COMMENT_COLUMNS, ReportTables.feedbackComments(report), 0);
      }
      h.append("<h3>The score's trend: the mean per ").append(esc(ReportFormat.duration(report.feedback().bucket())))
          .append("</h3>");
      table(h, ReportTables.FEEDBACK_TREND_COLUMNS, ReportTables.feedbackTrend(report), 1);
    }
    h.append("<h2>Forecast for the next peak</h2><p class=\"muted\">Naive: this peak's figures times the growth")
        .append(" the plan expects (reports.nextPeakGrowth); a component that crossed its limit at some traffic needs")
        .append(" the next peak's traffic over that one more capacity.</p><ul>");
    ReportTables.forecastHints(report).forEach(hint -> h.append("<li>").append(esc(hint)).append("</li>"));
    h.append("</ul>");
    table(h, ReportTables.FORECAST_COLUMNS, ReportTables.forecast(report), 1);
    h.append("<h2>Follow-ups</h2>");
    if (report.followUps().isEmpty()) {
      h.append("<p>The follow-up list is empty.</p>");
    } else {
      table(h, ReportTables.FOLLOW_UP_COLUMNS, ReportTables.followUps(report), 0);
    }
    charts.forEach((name, png) -> image(h, name, png));
    return h.append("</body></html>").toString();
  }

  /** The report as a PDF, its charts as images. */
  public void writePdf(OutputStream out) {
    try {
      PdfRendererBuilder pdf = new PdfRendererBuilder();
      pdf.useFastMode();
      pdf.withHtmlContent(html(), null);
      pdf.toStream(out);
      pdf.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void image(StringBuilder h, String name, byte[] png) {
    h.append("<img alt=\"").append(esc(name)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\"/>");
  }

  private static void table(StringBuilder h, List<String> columns, List<List<String>> rows, int numericFrom) {
    h.append("<table><tr>");
    columns.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
    h.append("</tr>");
    for (List<String> row : rows) {
      h.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        h.append(i >= numericFrom && numericFrom > 0 ? "<td class=\"n\">" : "<td>").append(esc(row.get(i))).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
