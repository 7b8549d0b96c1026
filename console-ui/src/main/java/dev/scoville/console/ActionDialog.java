package dev.scoville.console;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.textfield.TextField;
import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionRun;
import dev.scoville.rules.Incident;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Asks before an action runs: shows its dry run (exactly what would be sent) and runs it only on
 * confirmation. What runs is what was previewed: editing a parameter asks for a new preview.
 */
final class ActionDialog extends Dialog {
  private final ConsoleServices services;
  private final Action action;
  private final Incident incident;
  private final Users.Person person;
  private final Consumer<ActionRun> onDone;
  private final Map<String, TextField> fields = new LinkedHashMap<>();
  private final Div preview = new Div();
  private final Button run;
  // one key per confirmation: a double click or a retry returns the first run
  private final String idempotencyKey = UUID.randomUUID().toString();
  private Map<String, String> previewed;

  ActionDialog(ConsoleServices services, Action action, Incident incident, Users.Person person,
      Consumer<ActionRun> onDone) {
    this.services = services;
    this.action = action;
    this.incident = incident;
    this.person = person;
    this.onDone = onDone;
    setHeaderTitle(action.title());
    setWidth("min(44rem, 95vw)");
    run = new Button(action.secondApprover() ? "Ask for approval" : "Run", e -> confirm());
    run.setId("confirm-run");
    run.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
    run.setEnabled(false);
    Button cancel = new Button("Cancel", e -> close());
    cancel.setId("cancel-run");
    getFooter().add(cancel, run);

    add(new Paragraph(describe(action)));
    Div parameters = new Div();
    for (Action.Parameter p : action.parameters()) {
      TextField field = new TextField(p.name() + (p.required() ? " (required)" : ""));
      field.setId("param-" + p.name());
      field.setValue(p.defaultValue() == null ? "" : p.defaultValue());
      field.addValueChangeListener(e -> run.setEnabled(false));
      fields.put(p.name(), field);
      parameters.add(field);
    }
    if (!fields.isEmpty()) {
      Button again = new Button("Preview", e -> loadPreview());
      again.setId("preview-again");
      parameters.add(again);
      add(parameters);
    }
    preview.setId("action-preview");
    add(preview);
  }

  @Override
  public void open() {
    super.open();
    loadPreview();
  }

  private static String describe(Action action) {
    return (action.description().isBlank() ? "" : action.description() + " ")
        + "Risk " + action.risk().name().toLowerCase() + "; needs a " + action.role().word()
        + (action.secondApprover() ? "; a second commander must approve before it runs" : "")
        + (action.reversible() ? "; can be rolled back." : "; cannot be rolled back.");
  }

  private void loadPreview() {
    run.setEnabled(false);
    Map<String, String> values = new LinkedHashMap<>();
    fields.forEach((name, field) -> values.put(name, field.getValue()));
    preview.removeAll();
    preview.add(new Paragraph("Preparing the dry run…"));
    services.inBackground(UI.getCurrent(), () -> services.actions().preview(action.name(), values, incident, person),
        dryRun -> {
          previewed = values;
          preview.removeAll();
          preview.add(new Paragraph(dryRun.detail()));
          if (dryRun.sent() != null) {
            Pre sent = new Pre(dryRun.sent());
            sent.setId("action-sent");
            sent.getStyle().set("white-space", "pre-wrap").set("font-size", "var(--lumo-font-size-s)");
            preview.add(sent);
          }
          run.setEnabled(true);
        });
  }

  private void confirm() {
    run.setEnabled(false);
    Map<String, String> values = previewed;
    services.inBackground(UI.getCurrent(),
        () -> services.actions().run(action.name(), values, incident, person, idempotencyKey),
        result -> {
          close();
          onDone.accept(result);
        });
  }
}
