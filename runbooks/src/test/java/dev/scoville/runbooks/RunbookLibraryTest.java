package dev.scoville.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.ConfigFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunbookLibraryTest {
  static final Set<String> RULES =
      Set.of(
          "PaymentSuccessLow",
          "CheckoutLatencyHigh",
          "DatabaseSaturation",
          "StaticAssetErrors",
          "TrafficSurge",
          "LogisticsApiDown",
          "StockOut");
  static final Set<String> ACTIONS =
      Set.of(
          "simplified-site",
          "backup-payment-provider",
          "recommendations-off",
          "scale-out-web",
          "customer-message-delay");

  @TempDir Path dir;

  @Test
  void defaultRunbooksLoadWithZeroLintProblems() {
    RunbookLibrary library = RunbookLibrary.defaults();

    assertThat(library.runbooks()).hasSize(8);
    assertThat(RunbookLint.lint(library, RULES, ACTIONS)).isEmpty();
    for (String rule : RULES) {
      assertThat(library.forRule(rule)).as(rule).isNotEmpty();
    }
  }

  @Test
  void theStepsAreTheSectionsWithTheActionsTheyLink() {
    Runbook payment = RunbookLibrary.defaults().forRule("PaymentSuccessLow").get(0);

    assertThat(payment.steps()).containsExactly(
        new Runbook.Step("1. Confirm it is the provider, not us (2 min)", java.util.List.of()),
        new Runbook.Step("2. Switch to the backup provider", java.util.List.of("backup-payment-provider")),
        new Runbook.Step("3. Tell customers", java.util.List.of("customer-message-delay")),
        new Runbook.Step("4. Switch back", java.util.List.of()),
        new Runbook.Step("Escalate", java.util.List.of()));
    assertThat(payment.stepsRunning("customer-message-delay")).extracting(Runbook.Step::title)
        .containsExactly("3. Tell customers");
    assertThat(payment.stepsRunning("scale-out-web")).isEmpty();
  }

  @Test
  void actionLinksRenderAsButtonsAndHtmlIsEscaped() throws IOException {
    write(
        "pay.md",
        """
---
title: Payments <down>
rules: [PaymentSuccessLow]
actions: [backup-payment-provider]
---
Step 1: [Switch to the *backup* payment provider](action:backup-payment-provider)

Then <script>alert(1)</script> and [docs](https://docs.example/pay) and [bad](javascript:alert(1))

Open [the series](<query:sum by (provider) (rate(pay_total{outcome="error"}[1m])) \\> 0.1>).
""");

    Runbook runbook = RunbookLibrary.load(dir).forRule("PaymentSuccessLow").get(0);

    assertThat(runbook.title()).isEqualTo("Payments <down>");
    assertThat(runbook.actions()).containsExactly("backup-payment-provider");
    // no ## heading: no step, though the action is linked
    assertThat(runbook.steps()).isEmpty();
    assertThat(runbook.html())
        .contains(
            "<button type=\"button\" class=\"runbook-action\""
                + " data-action=\"backup-payment-provider\">Switch to the <em>backup</em> payment"
                + " provider</button>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("<a rel=\"nofollow\" href=\"https://docs.example/pay\">docs</a>")
        .contains("<a class=\"runbook-query\" href=\"chart?query=sum+by+%28provider%29+%28rate%28pay_total%7Boutcome%3D%22error%22%7D%5B1m%5D%29%29+%3E+0.1\">the series</a>")
        .doesNotContain("javascript:");
  }

  @Test
  void aBrokenRunbookFailsTheLintNamingTheLines() throws IOException {
    write(
        "broken.md",
        """
        ---
        rules:
          - PaymentSuccessLow
          - PaymentSucessLow
        actions: [backup-payment-provider, reboot-the-world]
        ---
        # No title in the front matter

        First [switch](action:backup-payment-provider), then
        [pray](action:pray-hard).
        """);

    RunbookLibrary library = RunbookLibrary.load(dir);

    String source = dir.resolve("broken.md").toString();
    assertThat(RunbookLint.lint(library, RULES, ACTIONS))
        .extracting(RunbookProblem::toString)
        .containsExactlyInAnyOrder(
            source + ":1: missing title in the front matter",
            source + ":4: unknown rule PaymentSucessLow",
            source + ":5: unknown action reboot-the-world",
            source + ":10: unknown action pray-hard in an action: link");
  }

  @Test
  void aBadFileIsReportedAndTheOthersStillLoad() throws IOException {
    write("good.md", "---\ntitle: Good\nrules: [StockOut]\n---\nFine.\n");
    write("bad.md", "---\ntitle: [unclosed\n---\nBody\n");
    write("nofront.md", "# Just markdown\n");

    RunbookLibrary library = RunbookLibrary.load(dir);

    assertThat(library.runbooks()).extracting(Runbook::title).containsExactly("Good");
    assertThat(library.problems())
        .extracting(RunbookProblem::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(dir.resolve("bad.md") + ":")
                    .contains("front matter is not valid YAML"))
        .contains(
            dir.resolve("nofront.md")
                + ":1: missing front matter: start with a line '---',"
                + " then title, rules, actions, then '---'");
  }

  @Test
  void aWatchedDirectoryReloadsWhenAFileChanges() throws Exception {
    Path file = write("stock.md", "---\ntitle: Stock v1\nrules: [StockOut]\n---\nOld.\n");
    try (RunbookLibrary library = RunbookLibrary.watch(dir, Duration.ofMillis(50))) {
      assertThat(library.forRule("StockOut"))
          .extracting(Runbook::title)
          .containsExactly("Stock v1");

      Files.writeString(file, "---\ntitle: Stock v2\nrules: [StockOut]\n---\nNew.\n");
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
      write("surge.md", "---\ntitle: Surge\nrules: [TrafficSurge]\n---\nScale.\n");

      Instant deadline = Instant.now().plusSeconds(5);
      while (library.forRule("TrafficSurge").isEmpty() && Instant.now().isBefore(deadline)) {
        Thread.sleep(20);
      }
      assertThat(library.forRule("StockOut"))
          .extracting(Runbook::title)
          .containsExactly("Stock v2");
      assertThat(library.forRule("TrafficSurge"))
          .extracting(Runbook::title)
          .containsExactly("Surge");
    }
  }

  @Test
  void theConfigNamesTheDirectoryOrFallsBackToTheDefaults() throws IOException {
    write("stock.md", "---\ntitle: Ours\nrules: [StockOut]\n---\nOurs.\n");
    ConfigFile withDirectory =
        ConfigFile.parse(
            "scoville.yaml",
            "runbooks:\n  directory: ${DIR}\n  reload_every: 1s\n",
            Map.of("DIR", dir.toString()));

    try (RunbookLibrary ours = RunbookLibrary.fromConfig(withDirectory);
        RunbookLibrary defaults =
            RunbookLibrary.fromConfig(ConfigFile.parse("scoville.yaml", "{}", Map.of()))) {
      assertThat(ours.runbooks()).extracting(Runbook::title).containsExactly("Ours");
      assertThat(defaults.runbooks()).hasSize(8);
    }
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
