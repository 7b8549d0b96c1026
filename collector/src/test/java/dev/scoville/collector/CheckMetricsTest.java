package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckMetricsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) {
    return CheckMetrics.run(
        args,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsTheSampleCountOfAValidExpositionOnStandardInput() {
    assertThat(run("# TYPE a counter\na_total 1\nb{x=\"y\"} 2\n")).isEqualTo(0);
    assertThat(out()).isEqualTo("2 samples" + System.lineSeparator());
    assertThat(err()).isEmpty();
  }

  @Test
  void namesStandardInputWithTheErrorPosition() {
    assertThat(run("a 1\nb{x=y} 2\n")).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "stdin:2:5: expected '\"' to open the value of label \"x\"" + System.lineSeparator());
    assertThat(out()).isEmpty();
  }

  @Test
  void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path good = Files.writeString(dir.resolve("good.prom"), "a 1\n");
    Path bad = Files.writeString(dir.resolve("bad.prom"), "a 1\na 1.2.3\n");

    assertThat(run("", good.toString())).isEqualTo(0);
    assertThat(run("", bad.toString())).isEqualTo(1);

    assertThat(out()).isEqualTo("1 samples" + System.lineSeparator());
    assertThat(err()).isEqualTo(bad + ":2:3: invalid value \"1.2.3\"" + System.lineSeparator());
  }

  @Test
  void readsOpenMetricsWithTheFlag() {
    assertThat(run("a 1\n# EOF\n", "--openmetrics")).isEqualTo(0);
    assertThat(run("a 1\n", "--openmetrics")).isEqualTo(1);

    assertThat(err())
        .isEqualTo(
            "stdin:2:1: OpenMetrics exposition must end with \"# EOF\"" + System.lineSeparator());
  }

  @Test
  void failsOnAMissingFile(@TempDir Path dir) {
    assertThat(run("", dir.resolve("missing.prom").toString())).isEqualTo(1);
    assertThat(err()).startsWith(dir.resolve("missing.prom") + ": cannot read:");
  }

  @Test
  void refusesUnknownOptions() {
    assertThat(run("", "--lint")).isEqualTo(2);
    assertThat(err()).contains("usage: CheckMetrics [--openmetrics] [file]");
  }
}
