package dev.scoville.runbooks;

import java.util.List;

/**
 * One runbook: what on-call reads beside an incident of the rules it names.
 *
 * @param steps its {@code ##} sections in order, each with the actions it links to
 * @param source where it was read from (a path, or {@code classpath:…} for the default set)
 * @param actions the actions its front matter suggests, in order
 * @param html the body rendered; {@code action:} links are {@code <button class="runbook-action"
 *     data-action="name">} placeholders for the console to bind
 * @param references every rule and action it names, with the line, for the lint
 */
public record Runbook(
    String source,
    String title,
    List<String> rules,
    List<String> actions,
    String html,
    List<Reference> references,
    List<Step> steps) {

  public Runbook {
    rules = List.copyOf(rules);
    actions = List.copyOf(actions);
    references = List.copyOf(references);
    steps = List.copyOf(steps);
  }

  /**
   * A step: a {@code ##} heading and the {@code action:} links up to the next one. Running one of
   * those actions carries the step out.
   *
   * @param title the heading's text, e.g. {@code 2. Switch to the backup provider}
   */
  public record Step(String title, List<String> actions) {
    public Step {
      actions = List.copyOf(actions);
    }
  }

  /** The steps that running {@code action} carries out: those whose text links to it. */
  public List<Step> stepsRunning(String action) {
    return steps.stream().filter(s -> s.actions().contains(action)).toList();
  }

  /** A rule or action named on {@code line}, in the front matter or in an {@code action:} link. */
  public record Reference(Kind kind, String name, int line) {}

  public enum Kind {
    RULE,
    ACTION,
    ACTION_LINK
  }
}
