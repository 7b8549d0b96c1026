package dev.scoville.console;

import dev.scoville.collector.HistoryConfig;
import dev.scoville.collector.SeriesHistory;
import dev.scoville.collector.SeriesStore;
import dev.scoville.contingency.ActionService;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.SeriesReader;
import dev.scoville.reports.FeedbackLog;
import dev.scoville.reports.FollowUps;
import dev.scoville.reports.PostPeakReport;
import dev.scoville.reports.ReportDocument;
import dev.scoville.reports.ReportPlan;
import dev.scoville.reports.ReportTables;
import dev.scoville.rules.IncidentFilter;
import dev.scoville.rules.IncidentSearch;
import dev.scoville.rules.Rules;
import dev.scoville.rules.RulesConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The post-peak report from the command line, for a window: {@code java -cp scoville.jar
 * dev.scoville.console.ReportCommand --config scoville.yaml --from 2026-11-27T00:00:00Z --to
 * 2026-11-30T00:00:00Z --out report.pdf [--csv DIR]}. It reads the configuration's database
 * (incidents, the audit log, customer feedback, and the series' history for the window and the
 * week before it), so
 * it works for windows longer than the in-memory retention. {@code --out} ending in {@code .html}
 * writes the HTML instead of the PDF.
 */
public final class ReportCommand {
  private static final int MAX_ROWS = 100_000;
  private static final String USAGE =
      "usage: ReportCommand --config FILE --from INSTANT --to INSTANT --out FILE.pdf|FILE.html [--csv DIR]"
          + " (instants in ISO 8601, e.g. 2026-11-28T00:00:00Z)";

  private ReportCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, Clock.systemUTC()));
  }

  static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!Set.of("--config", "--from", "--to", "--out", "--csv").contains(args[i]) || i + 1 >= args.length) {
        err.println("unknown or incomplete option " + args[i] + "; " + USAGE);
        return 2;
      }
      options.put(args[i], args[i + 1]);
    }
    for (String required : List.of("--config", "--from", "--to", "--out")) {
      if (!options.containsKey(required)) {
        err.println(required + " is missing; " + USAGE);
        return 2;
      }
    }
    Instant from;
    Instant to;
    try {
      from = Instant.parse(options.get("--from"));
      to = Instant.parse(options.get("--to"));
    } catch (DateTimeParseException e) {
      err.println("--from and --to are ISO 8601 instants such as 2026-11-28T00:00:00Z: " + e.getParsedString());
      return 2;
    }
    if (!from.isBefore(to)) {
      err.println("--from (" + from + ") must be before --to (" + to + ")");
      return 2;
    }
    try {
      ConfigFile config = ConfigFile.load(Path.of(options.get("--config")));
      ConsoleConfig.DatabaseSettings settings =
          config.section("database", ConsoleConfig.DatabaseSettings.class, ConsoleConfig.DatabaseSettings.defaults());
      HistoryConfig historyConfig = config.section("history", HistoryConfig.class, HistoryConfig.defaults());
      RulesConfig rulesConfig = config.section("rules", RulesConfig.class, RulesConfig.none());
      ReportPlan plan = ReportPlan.load(config, problem -> err.println("Left out of the report: " + problem));
      Map<String, String> expressions = Rules.expressions(config, rulesConfig);
      try (Database database = Database.open(settings.url(), settings.user(), settings.password())) {
        // The schema as Scoville would find it at start, so that an older database reads too.
        for (String module : List.of("collector", "rules", "contingency", "reports")) {
          database.migrate(module);
        }
        // An empty store that keeps nothing: every series comes from the history, read as the
        // report's expressions ask for it (the window and the week before, which it compares with).
        SeriesStore empty = new SeriesStore(Duration.ZERO, clock);
        SeriesReader series = new SeriesHistory(empty, database, clock, historyConfig.retention()).reader();
        PostPeakReport report = PostPeakReport.build(from, to,
            IncidentSearch.over(database).find(new IncidentFilter(Set.of(), null, null, null, null, from, to), 0,
                MAX_ROWS),
            ActionService.auditLog(database, MAX_ROWS), series, rule -> Optional.ofNullable(expressions.get(rule)),
            plan, FeedbackLog.summary(database, from, to), new FollowUps(database, clock).open());
        ReportDocument document = ReportDocument.of(report, plan, series);
        Path target = Path.of(options.get("--out"));
        try (OutputStream file = Files.newOutputStream(target)) {
          if (target.toString().endsWith(".html")) {
            file.write(document.html().getBytes(StandardCharsets.UTF_8));
          } else {
            document.writePdf(file);
          }
        }
        out.println("wrote " + target + ": " + report.incidents().size() + " incidents, " + report.actions().size()
            + " actions");
        if (options.containsKey("--csv")) {
          Path directory = Files.createDirectories(Path.of(options.get("--csv")));
          for (Map.Entry<String, String> csv : ReportTables.csv(report).entrySet()) {
            Files.writeString(directory.resolve(csv.getKey()), csv.getValue(), StandardCharsets.UTF_8);
          }
          out.println("wrote " + ReportTables.csv(report).size() + " CSV files to " + directory);
        }
      }
      return 0;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      // A database locked by a running Scoville, or one that is not Scoville's, ends up here.
      err.println("cannot read the database of " + options.get("--config") + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("cannot write: " + e.getMessage());
      return 1;
    }
  }
}
