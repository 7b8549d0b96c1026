package dev.scoville.console;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.server.VaadinSession;

/** Light or dark, chosen per person and kept for the session; dark is the default. */
final class ThemeToggle {
  private static final String LIGHT = "scoville.theme.light";

  private ThemeToggle() {}

  static Button button() {
    Button toggle = new Button(label(), e -> {
      VaadinSession session = VaadinSession.getCurrent();
      session.setAttribute(LIGHT, !isLight(session) ? Boolean.TRUE : null);
      apply(UI.getCurrent());
      e.getSource().setText(label());
    });
    toggle.setId("theme-toggle");
    toggle.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
    return toggle;
  }

  /** Sets the page's theme to the session's choice. */
  static void apply(UI ui) {
    ui.getElement().executeJs("document.documentElement.setAttribute('theme', $0)",
        isLight(ui.getSession()) ? "" : "dark");
  }

  private static String label() {
    return isLight(VaadinSession.getCurrent()) ? "Dark theme" : "Light theme";
  }

  private static boolean isLight(VaadinSession session) {
    return session != null && session.getAttribute(LIGHT) != null;
  }
}
