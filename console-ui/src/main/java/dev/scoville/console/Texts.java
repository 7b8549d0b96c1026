package dev.scoville.console;

import com.vaadin.flow.component.HasText;

/** Live updates touch only what changed: every setText is sent to the browser, even the same text. */
final class Texts {
  private Texts() {}

  /** Sets {@code text} unless it is shown already; returns whether it changed. */
  static boolean set(HasText component, String text) {
    if (text.equals(component.getText())) {
      return false;
    }
    component.setText(text);
    return true;
  }
}
