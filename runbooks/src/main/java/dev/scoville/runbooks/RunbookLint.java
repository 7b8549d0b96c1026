package dev.scoville.runbooks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that runbooks name only rules and actions that exist, and have titles.
 *
 * <p>From the command line: {@code RunbookLint [<dir>] --rules A,B --actions x,y} lints the
 * directory (or the default set without one) and exits 1 on any problem, printing each as {@code
 * file:line: reason}.
 */
public final class RunbookLint {
  private RunbookLint() {}

  public static List<RunbookProblem> lint(
      RunbookLibrary library, Set<String> knownRules, Set<String> knownActions) {
    List<RunbookProblem> problems = new ArrayList<>(library.problems());
    for (Runbook runbook : library.runbooks()) {
      for (Runbook.Reference r : runbook.references()) {
        switch (r.kind()) {
          case RULE -> {
            if (!knownRules.contains(r.name())) {
              problems.add(
                  new RunbookProblem(runbook.source(), r.line(), "unknown rule " + r.name()));
            }
          }
          case ACTION, ACTION_LINK -> {
            if (!knownActions.contains(r.name())) {
              problems.add(
                  new RunbookProblem(
                      runbook.source(),
                      r.line(),
                      "unknown action "
                          + r.name()
                          + (r.kind() == Runbook.Kind.ACTION_LINK ? " in an action: link" : "")));
            }
          }
        }
      }
    }
    return problems;
  }

  public static void main(String[] args) {
    Path directory = null;
    Set<String> rules = null;
    Set<String> actions = null;
    for (int i = 0; i < args.length; i++) {
      if ((args[i].equals("--rules") || args[i].equals("--actions")) && i + 1 < args.length) {
        Set<String> names = new TreeSet<>(Arrays.asList(args[i + 1].split(",")));
        names.remove("");
        if (args[i].equals("--rules")) {
          rules = names;
        } else {
          actions = names;
        }
        i++;
      } else if (directory == null && !args[i].startsWith("--")) {
        directory = Path.of(args[i]);
      } else {
        rules = null;
        break;
      }
    }
    if (rules == null || actions == null) {
      System.err.println(
          "usage: RunbookLint [<directory>] --rules Rule1,Rule2 --actions action-1,action-2");
      System.exit(2);
    }
    RunbookLibrary library =
        directory == null ? RunbookLibrary.defaults() : RunbookLibrary.load(directory);
    List<RunbookProblem> problems = lint(library, rules, actions);
    problems.forEach(System.err::println);
    if (!problems.isEmpty()) {
      System.exit(1);
    }
    System.out.println(library.runbooks().size() + " runbooks, no problems");
  }
}
