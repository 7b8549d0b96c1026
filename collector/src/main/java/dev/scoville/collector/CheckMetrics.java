package dev.scoville.collector;

import dev.scoville.collector.exposition.Exposition;
import dev.scoville.collector.exposition.ExpositionChecker;
import dev.scoville.collector.exposition.ExpositionException;
import dev.scoville.collector.exposition.ExpositionFormat;
import dev.scoville.collector.exposition.ExpositionParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks an exposition like {@code promtool check metrics}: {@code CheckMetrics [--openmetrics]
 * [file]}, reading standard input without a file. Prints the sample count and exits 0 when it
 * parses and keeps every rule of the format's specification; prints {@code <file or
 * stdin>:line:column: reason (the rule)} for each problem and exits 1 otherwise. Stricter than
 * ingestion, which stays as lenient as Prometheus's scraper.
 */
public final class CheckMetrics {
  static final int VALID = 0;
  static final int INVALID = 1;
  static final int USAGE = 2;

  private CheckMetrics() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    ExpositionFormat format = ExpositionFormat.TEXT_0_0_4;
    String file = null;
    for (String arg : args) {
      if (arg.equals("--openmetrics")) {
        format = ExpositionFormat.OPENMETRICS_1_0_0;
      } else if (arg.startsWith("-") || file != null) {
        err.println("usage: CheckMetrics [--openmetrics] [file]");
        return USAGE;
      } else {
        file = arg;
      }
    }
    String source = file == null ? "stdin" : file;
    byte[] body;
    try {
      body = file == null ? in.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      err.println(source + ": cannot read: " + e.getMessage());
      return INVALID;
    }
    try {
      Exposition exposition = ExpositionParser.parse(body, format, System.currentTimeMillis());
      List<ExpositionChecker.Violation> violations = ExpositionChecker.check(body, format);
      if (!violations.isEmpty()) {
        violations.forEach(v -> err.println(source + ":" + v));
        return INVALID;
      }
      out.println(exposition.samples().size() + " samples");
      return VALID;
    } catch (ExpositionException e) {
      err.println(source + ":" + e.getMessage());
      return INVALID;
    }
  }
}
