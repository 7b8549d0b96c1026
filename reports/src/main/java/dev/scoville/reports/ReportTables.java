package dev.scoville.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's tables as rows of text, shared by the document and the CSV so that both say the
 * same figures in the same words.
 */
public final class ReportTables {
  static final List<String> HANDLING_COLUMNS = List.of("severity", "incidents", "mean time to acknowledge",
      "mean time to resolve");
  static final List<String> INCIDENT_COLUMNS = List.of("incident", "rule", "severity", "opened", "time to acknowledge",
      "time to resolve", "acknowledged by");
  static final List<String> RULE_COLUMNS = List.of("rule", "incidents", "open for");
  static final List<String> ACTION_COLUMNS = List.of("run", "action", "by", "at", "outcome", "incident", "watched value",
      "before", "after");
  static final List<String> MEASURE_COLUMNS = List.of("measure", "this peak", "plan", "against plan", "a week earlier",
      "against a week earlier");

  static final List<String> CAPACITY_COLUMNS = List.of("component", "limit", "crossed at", "traffic then",
      "highest", "headroom", "peak traffic");

  static final List<String> THIRD_PARTY_COLUMNS = List.of("third party", "availability", "unavailable for",
      "first outage");
  static final List<String> FEEDBACK_TREND_COLUMNS = List.of("from", "feedback", "mean score");
  static final List<String> FEEDBACK_SUBJECT_COLUMNS = List.of("page or topic", "feedback", "mean score");
  static final List<String> FEEDBACK_COMMENT_COLUMNS = List.of("at", "score", "page or topic", "comment");
  static final List<String> FORECAST_COLUMNS = List.of("measure", "this peak", "next peak");
  static final List<String> FOLLOW_UP_COLUMNS = List.of("priority", "follow-up", "incident", "added by", "added");

  private ReportTables() {}

  static List<List<String>> handling(PostPeakReport r) {
    List<List<String>> rows = new ArrayList<>();
    for (PostPeakReport.Handling h : r.handling()) {
      rows.add(List.of(h.severity() == null ? "all" : h.severity().name().toLowerCase(), String.valueOf(h.incidents()),
          ReportFormat.duration(h.meanToAcknowledge()), ReportFormat.duration(h.meanToResolve())));
    }
    return rows;
  }

  static List<List<String>> incidents(PostPeakReport r) {
    return r.incidents().stream().map(i -> List.of("#" + i.id(), i.rule(), i.severity().name().toLowerCase(),
        ReportFormat.when(i.openedAt()), ReportFormat.duration(i.toAcknowledge()), ReportFormat.duration(i.toResolve()),
        i.acknowledgedBy() == null ? "" : i.acknowledgedBy())).toList();
  }

  static List<List<String>> rules(PostPeakReport r) {
    return r.rules().stream().map(x -> List.of(x.rule(), String.valueOf(x.incidents()), ReportFormat.duration(x.open())))
        .toList();
  }

  static List<List<String>> actions(PostPeakReport r) {
    return r.actions().stream().map(a -> List.of("#" + a.runId(), a.action() + (a.kind().equals("run") ? "" : " (" + a.kind() + ")"),
        a.by(), ReportFormat.when(a.at()), a.outcome(), a.incidentId() == null ? "" : "#" + a.incidentId(),
        a.watched() == null ? "" : a.watched(), ReportFormat.value(a.before(), ""), ReportFormat.value(a.after(), "")))
        .toList();
  }

  static List<List<String>> measures(PostPeakReport r) {
    return r.measures().stream().map(m -> List.of(m.name(), ReportFormat.value(m.actual(), m.unit()),
        m.expected() == null ? "" : ReportFormat.value(m.expected(), m.unit()), ReportFormat.change(m.versusExpected()),
        ReportFormat.value(m.weekEarlier(), m.unit()), ReportFormat.change(m.versusWeekEarlier()))).toList();
  }

  /**
   * Each component's capacity in a sentence: "Checkout latency p95 crossed 800 ms at 168 % of
   * baseline traffic (…)", or how far below its limit it stayed up to the peak's traffic.
   */
  public static List<String> capacityHints(PostPeakReport r) {
    List<String> hints = new ArrayList<>();
    for (PostPeakReport.CapacityRow c : r.capacity()) {
      String limit = ReportFormat.value(c.limit(), c.unit());
      if (c.crossedAt() != null) {
        hints.add(c.name() + " crossed " + limit + (c.trafficAtCrossing() == null ? ""
            : " at " + ReportFormat.value(c.trafficAtCrossing(), "ratio") + " of baseline traffic") + " ("
            + ReportFormat.when(c.crossedAt()) + ")");
      } else if (c.highest() == null) {
        hints.add(c.name() + ": no data in the window");
      } else {
        hints.add(c.name() + " stayed below " + limit + ": at most " + ReportFormat.value(c.highest(), c.unit())
            + ", " + ReportFormat.value(c.headroom(), "ratio") + " headroom"
            + (c.peakTraffic() == null ? "" : ", up to " + ReportFormat.value(c.peakTraffic(), "ratio")
                + " of baseline traffic"));
      }
    }
    return hints;
  }

  static List<List<String>> capacity(PostPeakReport r) {
    return r.capacity().stream().map(c -> List.of(c.name(), ReportFormat.value(c.limit(), c.unit()),
        c.crossedAt() == null ? "" : ReportFormat.when(c.crossedAt()),
        c.trafficAtCrossing() == null ? "" : ReportFormat.value(c.trafficAtCrossing(), "ratio"),
        ReportFormat.value(c.highest(), c.unit()), c.headroom() == null ? "" : ReportFormat.value(c.headroom(), "ratio"),
        c.peakTraffic() == null ? "" : ReportFormat.value(c.peakTraffic(), "ratio"))).toList();
  }

  static List<List<String>> thirdParties(PostPeakReport r) {
    return r.thirdParties().stream().map(t -> List.of(t.name(),
        t.availability() == null ? "no data" : ReportFormat.value(t.availability(), "ratio"),
        ReportFormat.duration(t.unavailableFor()), t.firstOutage() == null ? "" : ReportFormat.when(t.firstOutage())))
        .toList();
  }

  /**
   * The window's feedback in a sentence: "412 feedback, mean 4.31/5; 38 (9.2 %) scored 3 or
   * less", or that there was none.
   */
  public static String feedbackHeadline(PostPeakReport r) {
    FeedbackSummary f = r.feedback();
    if (f.count() == 0) {
      return "No feedback in this window.";
    }
    return f.count() + " feedback, mean " + ReportFormat.value(f.mean(), "/5") + "; " + f.low() + " ("
        + ReportFormat.value(f.lowShare(), "ratio") + ") scored " + FeedbackSummary.LOW + " or less";
  }

  static List<List<String>> feedbackTrend(PostPeakReport r) {
    return r.feedback().trend().stream().map(p -> List.of(ReportFormat.when(p.from()), String.valueOf(p.count()),
        p.mean() == null ? "" : ReportFormat.value(p.mean(), "/5"))).toList();
  }

  static List<List<String>> feedbackSubjects(PostPeakReport r) {
    return r.feedback().lowest().stream().map(x -> List.of(x.name(), String.valueOf(x.count()),
        ReportFormat.value(x.mean(), "/5"))).toList();
  }

  static List<List<String>> feedbackComments(PostPeakReport r) {
    return r.feedback().comments().stream().map(c -> List.of(ReportFormat.when(c.at()), String.valueOf(c.score()),
        c.subject(), c.comment())).toList();
  }

  static List<List<String>> forecast(PostPeakReport r) {
    return r.forecast().measures().stream().map(m -> List.of(m.name(), ReportFormat.value(m.thisPeak(), m.unit()),
        ReportFormat.value(m.nextPeak(), m.unit()))).toList();
  }

  static List<List<String>> followUps(PostPeakReport r) {
    return r.followUps().stream().map(f -> List.of(f.priority().name().toLowerCase(), f.title(),
        f.incidentId() == null ? "" : "#" + f.incidentId(), f.createdBy(), ReportFormat.when(f.createdAt()))).toList();
  }

  /**
   * The forecast in sentences: the next peak's traffic, then each component: "Checkout latency
   * p95 needs 17 % more capacity before the next peak", or that it should hold.
   */
  public static List<String> forecastHints(PostPeakReport r) {
    PostPeakReport.Forecast f = r.forecast();
    List<String> hints = new ArrayList<>();
    hints.add("Next peak: " + ReportFormat.value(f.growth(), "ratio") + " of this one's traffic"
        + (f.peakTraffic() == null ? "" : ", about " + ReportFormat.value(f.nextPeakTraffic(), "ratio")
            + " of baseline (this peak reached " + ReportFormat.value(f.peakTraffic(), "ratio") + ")"));
    for (PostPeakReport.ComponentForecast c : f.components()) {
      if (c.capacityNeeded() == null) {
        hints.add(c.name() + ": not enough data to say");
      } else if (c.capacityNeeded() > 0) {
        hints.add(c.name() + " needs about " + ReportFormat.value(c.capacityNeeded(), "ratio")
            + " more capacity before the next peak (limit " + ReportFormat.value(c.limit(), c.unit()) + ")");
      } else {
        hints.add(c.name() + " should hold: projected at most " + ReportFormat.value(c.projectedHighest(), c.unit())
            + " against its limit of " + ReportFormat.value(c.limit(), c.unit()));
      }
    }
    return hints;
  }

  /** Every table as CSV (RFC 4180), by a file name: {@code incidents.csv}, {@code actions.csv}, … */
  public static Map<String, String> csv(PostPeakReport r) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("handling.csv", csv(HANDLING_COLUMNS, handling(r)));
    files.put("incidents.csv", csv(INCIDENT_COLUMNS, incidents(r)));
    files.put("rules.csv", csv(RULE_COLUMNS, rules(r)));
    files.put("actions.csv", csv(ACTION_COLUMNS, actions(r)));
    files.put("measures.csv", csv(MEASURE_COLUMNS, measures(r)));
    files.put("capacity.csv", csv(CAPACITY_COLUMNS, capacity(r)));
    files.put("third-parties.csv", csv(THIRD_PARTY_COLUMNS, thirdParties(r)));
    files.put("feedback-trend.csv", csv(FEEDBACK_TREND_COLUMNS, feedbackTrend(r)));
    files.put("feedback-lowest.csv", csv(FEEDBACK_SUBJECT_COLUMNS, feedbackSubjects(r)));
    files.put("feedback-comments.csv", csv(FEEDBACK_COMMENT_COLUMNS, feedbackComments(r)));
    files.put("forecast.csv", csv(FORECAST_COLUMNS, forecast(r)));
    files.put("follow-ups.csv", csv(FOLLOW_UP_COLUMNS, followUps(r)));
    return files;
  }

  private static String csv(List<String> columns, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    line(sb, columns);
    rows.forEach(row -> line(sb, row));
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append(c.contains(",") || c.contains("\"") || c.contains("\n") ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
    }
    sb.append("\r\n");
  }
}
