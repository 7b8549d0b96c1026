package dev.scoville.rules;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Checks Prometheus rule files as {@code promtool check rules} does: {@code java -cp scoville.jar
 * dev.scoville.rules.CheckRules FILE...}. Prints every problem as {@code file:line:column:
 * reason} and exits 1 when there is one.
 */
public final class CheckRules {
  private CheckRules() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: CheckRules RULE_FILE...");
      return 2;
    }
    int failed = 0;
    for (String arg : args) {
      // Escalation policies live in Scoville's configuration, not in a rule file: any name will do here.
      RuleLoader loader = new RuleLoader(policy -> true).loadFile(Path.of(arg));
      if (loader.problems().isEmpty()) {
        out.println(arg + ": " + loader.groups().stream().mapToInt(g -> g.rules().size()).sum() + " rules found");
      } else {
        loader.problems().forEach(err::println);
        failed++;
      }
    }
    return failed == 0 ? 0 : 1;
  }
}
