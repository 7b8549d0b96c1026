package dev.scoville.console;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.scoville.reports.FollowUp;
import dev.scoville.reports.FollowUps;
import java.util.List;

/**
 * The follow-up list beside the report: anyone signed in adds an item (optionally from an
 * incident), sets its priority or marks it done; the report ends with the open ones.
 */
final class FollowUpPanel extends Div {
  private final ConsoleServices services;
  private final Users.Person person;
  private final Div items = new Div();

  FollowUpPanel(ConsoleServices services, Users.Person person) {
    this.services = services;
    this.person = person;
    setId("follow-ups");
    TextField title = new TextField("Follow-up");
    title.setId("follow-up-title");
    title.setMaxLength(300);
    title.setPlaceholder("e.g. Raise the checkout database pool");
    Select<FollowUp.Priority> priority = priorities();
    priority.setValue(FollowUp.Priority.MEDIUM);
    IntegerField incident = new IntegerField("From incident #");
    Button add = new Button("Add", e -> {
      // Read on the UI thread now: the fields are cleared before the worker runs.
      String text = title.getValue();
      FollowUp.Priority chosen = priority.getValue();
      Long from = incident.getValue() == null ? null : incident.getValue().longValue();
      run(() -> followUps().add(text, chosen, from, person.name()));
      title.clear();
      incident.clear();
    });
    add.setId("follow-up-add");
    Div form = new Div(title, priority, incident, add);
    form.addClassName("filters");
    add(new H2("Follow-ups"), form, items);
    refresh();
  }

  private void refresh() {
    UI ui = UI.getCurrent();
    services.inBackground(ui, () -> followUps().open(), this::show);
  }

  private void show(List<FollowUp> open) {
    items.removeAll();
    if (open.isEmpty()) {
      items.add(new Span("The follow-up list is empty."));
    }
    for (FollowUp item : open) {
      Select<FollowUp.Priority> priority = priorities();
      priority.setValue(item.priority());
      priority.addValueChangeListener(e -> {
        if (e.isFromClient()) {
          run(() -> followUps().prioritise(item.id(), e.getValue()));
        }
      });
      Button done = new Button("Done", e -> run(() -> followUps().close(item.id(), person.name())));
      Span text = new Span(item.title() + (item.incidentId() == null ? "" : " (incident #" + item.incidentId() + ")")
          + " · added by " + item.createdBy());
      Div row = new Div(priority, text, done);
      row.addClassName("follow-up");
      items.add(row);
    }
  }

  private void run(Runnable change) {
    services.inBackground(UI.getCurrent(), () -> {
      change.run();
      return followUps().open();
    }, this::show);
  }

  private FollowUps followUps() {
    return services.followUps();
  }

  private static Select<FollowUp.Priority> priorities() {
    Select<FollowUp.Priority> select = new Select<>();
    select.setItems(FollowUp.Priority.values());
    select.setItemLabelGenerator(p -> p.name().toLowerCase());
    select.setAriaLabel("Priority");
    return select;
  }
}
