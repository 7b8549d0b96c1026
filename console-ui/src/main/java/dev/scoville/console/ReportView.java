package dev.scoville.console;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.IFrame;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;
import dev.scoville.core.SeriesReader;
import dev.scoville.reports.PostPeakReport;
import dev.scoville.reports.ReportDocument;
import dev.scoville.reports.ReportTables;
import dev.scoville.rules.IncidentFilter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The post-peak report of a window, for managers: the report itself, its PDF and a CSV of every
 * table, and the follow-up list it ends with. It reads incidents, actions and customer feedback
 * from the database and the measures from the series.
 */
@Route("report")
@PageTitle("Post-peak report · Scoville")
public class ReportView extends VerticalLayout {
  private static final int MAX_INCIDENTS = 10_000;
  private static final int MAX_RUNS = 10_000;

  private final ConsoleServices services = ConsoleServices.get();
  private final DateTimePicker from = new DateTimePicker("From");
  private final DateTimePicker to = new DateTimePicker("To");
  private final Div downloads = new Div();
  private final IFrame document = new IFrame();

  public ReportView() {
    addClassName("page");
    // up to the next whole minute, so that what happened this minute is in
    Instant now = services.clock().instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    from.setValue(LocalDateTime.ofInstant(now.minus(Duration.ofHours(6)), ZoneId.systemDefault()));
    to.setValue(LocalDateTime.ofInstant(now, ZoneId.systemDefault()));
    from.setId("report-from");
    to.setId("report-to");
    Button build = new Button("Build the report", e -> build(UI.getCurrent()));
    build.setId("report-build");
    build.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    downloads.setId("report-downloads");
    downloads.addClassName("filters");
    document.setId("report");
    document.setWidthFull();
    document.setHeight("80vh");
    document.getElement().setAttribute("title", "The post-peak report");
    Div form = new Div(from, to, build);
    form.addClassName("filters");
    add(new ConsoleNav("Post-peak report"),
        new Main(form, downloads, document, new FollowUpPanel(services, SignInGuard.signedIn())));
  }

  private void build(UI ui) {
    Instant start = from.getValue().atZone(ZoneId.systemDefault()).toInstant();
    Instant end = to.getValue().atZone(ZoneId.systemDefault()).toInstant();
    services.inBackground(ui, () -> {
      // The window may reach back further than the store keeps: the history serves the rest.
      SeriesReader series = services.reportSeries().get();
      PostPeakReport report = PostPeakReport.build(start, end,
          services.incidents().search().find(new IncidentFilter(Set.of(), null, null, null, null, start, end), 0,
              MAX_INCIDENTS),
          services.actions().auditLog(MAX_RUNS), series, services.ruleExpression(), services.reportPlan(),
          services.feedback().summary(start, end), services.followUps().open());
      return ReportDocument.of(report, services.reportPlan(), series);
    }, this::show);
  }

  private void show(ReportDocument report) {
    document.getElement().setAttribute("srcdoc", report.html());
    downloads.removeAll();
    Anchor pdf = new Anchor(download("post-peak-report.pdf", "application/pdf", () -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      report.writePdf(out);
      return out.toByteArray();
    }), "PDF");
    pdf.setId("report-pdf");
    downloads.add(pdf);
    for (Map.Entry<String, String> csv : ReportTables.csv(report.report()).entrySet()) {
      byte[] bytes = csv.getValue().getBytes(StandardCharsets.UTF_8);
      Anchor link = new Anchor(download(csv.getKey(), "text/csv", () -> bytes), csv.getKey());
      link.setId("report-" + csv.getKey().replace('.', '-'));
      downloads.add(link);
    }
  }

  private static DownloadHandler download(String name, String type, Supplier<byte[]> content) {
    return DownloadHandler.fromInputStream(event -> {
      byte[] bytes = content.get();
      return new DownloadResponse(new ByteArrayInputStream(bytes), name, type, bytes.length);
    });
  }
}
