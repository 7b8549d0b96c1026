package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.rules.Incident;
import dev.scoville.rules.Rules;
import dev.scoville.rules.RulesConfig;
import dev.scoville.rules.SlackConfig;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.shop.PagerDutySink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The post-peak report from the command line, over a database a stopped Scoville left behind. */
class ReportCommandTest {
  private static final String RULES = """
      rules:
        groups:
          - name: shop
            rules:
              - alert: PaymentSuccessLow
                expr: payment_success_ratio < 0.95
                labels:
                  severity: critical
                annotations:
                  summary: Payment success is low
      """;

  @TempDir
  Path dir;

  @Test
  void writesThePdfAndTheCsvOfAWindowFromTheDatabase() throws Exception {
    Path config = dir.resolve("scoville.yaml");
    Files.writeString(config, "database:\n  url: jdbc:h2:file:" + dir.resolve("data") + "\n" + RULES);
    Instant opened = openAndResolveAnIncident(config);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = ReportCommand.run(new String[] {"--config", config.toString(),
        "--from", opened.minus(Duration.ofHours(1)).toString(), "--to", opened.plus(Duration.ofHours(1)).toString(),
        "--out", dir.resolve("report.pdf").toString(), "--csv", dir.resolve("csv").toString()},
        print(out), print(err), Clock.systemUTC());

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("report.pdf: 1 incidents, 0 actions");
    try (PDDocument pdf = Loader.loadPDF(dir.resolve("report.pdf").toFile())) {
      assertThat(new PDFTextStripper().getText(pdf)).contains("PaymentSuccessLow");
    }
    try (var files = Files.list(dir.resolve("csv"))) {
      assertThat(files.map(p -> p.getFileName().toString())).contains("incidents.csv");
    }
    assertThat(Files.readString(dir.resolve("csv").resolve("incidents.csv"))).contains("PaymentSuccessLow");
  }

  @Test
  void refusesAWindowThatEndsBeforeItStarts() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = ReportCommand.run(new String[] {"--config", "x.yaml", "--from", "2026-11-30T00:00:00Z",
        "--to", "2026-11-29T00:00:00Z", "--out", "r.pdf"}, print(new ByteArrayOutputStream()), print(err),
        Clock.systemUTC());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--from (2026-11-30T00:00:00Z) must be before --to (2026-11-29T00:00:00Z)");
  }

  /** Scoville's rules open an incident in the file database and resolve it; then everything stops. */
  private Instant openAndResolveAnIncident(Path configPath) throws Exception {
    ConfigFile config = ConfigFile.load(configPath);
    Clock clock = Clock.systemUTC();
    SeriesStore store = new SeriesStore(Duration.ofHours(1), clock);
    try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("data"));
        PagerDutySink pagerDuty = PagerDutySink.start(0);
        Rules rules = Rules.start(config, config.section("rules", RulesConfig.class, RulesConfig.none()),
            new PagerDutyConfig(pagerDuty.eventsUri(), "0123456789abcdef0123456789abcdef", "shop", null),
            SlackConfig.none(), List.of(), store, store::append, database, clock)) {
      store.append(List.of(new Sample(Labels.of("__name__", "payment_success_ratio"), clock.millis(), 0.5)));
      Incident incident = DemoApp.await(Duration.ofSeconds(20), () -> rules.incidents().recent(1).stream().findFirst());
      Thread.sleep(5);
      store.append(List.of(new Sample(Labels.of("__name__", "payment_success_ratio"), clock.millis(), 0.99)));
      DemoApp.await(Duration.ofSeconds(20), () -> rules.incidents().find(incident.id()).filter(i -> !i.isOpen()));
      return incident.openedAt();
    }
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
