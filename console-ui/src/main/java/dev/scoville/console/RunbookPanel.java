package dev.scoville.console;

import com.vaadin.flow.component.html.Div;
import dev.scoville.runbooks.Runbook;
import java.util.List;
import org.jsoup.nodes.Entities;

/**
 * Runbooks as the runbooks module renders them. Their action buttons click the page's Vaadin
 * button {@code action-<name>}, so an action runs the same way from the text as from beside it.
 */
final class RunbookPanel extends Div {
  // commonmark's HTML carries no styles: enough to read it in Lumo's dark theme
  private static final String STYLE = "<style>"
      + ".runbook h1{font-size:var(--lumo-font-size-xl);margin-top:0}"
      + ".runbook h2{font-size:var(--lumo-font-size-l)}"
      + ".runbook button.runbook-action{font:inherit;cursor:pointer;padding:.3em .9em;border-radius:var(--lumo-border-radius-m);"
      + "border:none;background:var(--lumo-primary-color);color:var(--lumo-primary-contrast-color)}"
      + ".runbook button.runbook-action:disabled{background:var(--lumo-contrast-20pct);cursor:default}"
      + "</style>";

  private Object shown;

  RunbookPanel() {
    setId("runbook");
    addClassName("runbook");
    getStyle().set("padding", "var(--lumo-space-m)").set("background", "var(--lumo-contrast-5pct)")
        .set("border-radius", "var(--lumo-border-radius-l)");
  }

  /** Redraws only when something changed, so a reader keeps their place on every update. */
  void show(List<Runbook> runbooks, String whenNone) {
    List<Object> showing = List.of(runbooks, whenNone);
    if (showing.equals(shown)) {
      return;
    }
    shown = showing;
    StringBuilder html = new StringBuilder(STYLE);
    if (runbooks.isEmpty()) {
      html.append("<p>").append(Entities.escape(whenNone)).append("</p>");
    }
    // the runbooks module escapes raw HTML in the Markdown: this is its own rendering
    runbooks.forEach(r -> html.append("<article>").append(r.html()).append("</article><hr>"));
    getElement().setProperty("innerHTML", html.toString());
    getElement().executeJs("""
        this.querySelectorAll('button.runbook-action').forEach(b => {
          const target = () => document.getElementById('action-' + b.dataset.action);
          if (!target()) { b.disabled = true; b.title = 'open an incident this action is suggested for to run it'; return; }
          b.addEventListener('click', () => target() && target().click());
        });""");
  }
}
