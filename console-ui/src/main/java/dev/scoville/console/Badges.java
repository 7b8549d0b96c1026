package dev.scoville.console;

import com.vaadin.flow.component.html.Span;
import dev.scoville.console.board.TileState;
import dev.scoville.rules.Incident;

/** State and severity as badges with a shape and a word, so that they read without colour too. */
final class Badges {
  private Badges() {}

  static Span state(Incident.State state) {
    Span badge = new Span();
    update(badge, state);
    return badge;
  }

  static void update(Span badge, Incident.State state) {
    String shape = switch (state) {
      case TRIGGERED -> "▲";
      case ACKNOWLEDGED -> "◐";
      case RESOLVED -> "✓";
    };
    badge.setText(shape + " " + state.name().toLowerCase());
    badge.getElement().getThemeList().clear();
    badge.getElement().getThemeList().add("badge " + switch (state) {
      case TRIGGERED -> "error primary";
      case ACKNOWLEDGED -> "contrast";
      case RESOLVED -> "success";
    });
  }

  static Span severity(Incident.Severity severity) {
    String shape = switch (severity) {
      case CRITICAL -> "⬣";
      case ERROR -> "◆";
      case WARNING -> "■";
      case INFO -> "○";
    };
    Span badge = new Span(shape + " " + severity.name().toLowerCase());
    badge.getElement().getThemeList().add("badge " + switch (severity) {
      case CRITICAL, ERROR -> "error";
      case WARNING -> "warning";
      case INFO -> "contrast";
    });
    return badge;
  }

  /** On an incident opened during a drill: a rehearsal, not a real problem. */
  static Span drill() {
    Span badge = new Span("⟲ drill");
    badge.addClassName("drill-badge");
    badge.getElement().getThemeList().add("badge contrast primary");
    return badge;
  }

  static void update(Span badge, TileState state) {
    badge.setText(state.shape() + " " + state.text());
    badge.getElement().getThemeList().clear();
    badge.getElement().getThemeList().add("badge " + switch (state) {
      case FIRING -> "error primary";
      case WARNING -> "warning primary";
      case STALE, NO_DATA -> "contrast";
      case OK -> "success";
    });
  }
}
