package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentFilter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/** Every incident, open ones first: searched and filtered by state, severity, rule, label and time. */
@Route("incidents")
@PageTitle("Incidents · Scoville")
public class IncidentListView extends VerticalLayout {
  static final int PAGE = 25;

  private final ConsoleServices services = ConsoleServices.get();
  private final Users.Person person = SignInGuard.signedIn();
  private final ComboBox<String> state = new ComboBox<>("State");
  private final ComboBox<String> severity = new ComboBox<>("Severity");
  private final TextField rule = new TextField("Rule");
  private final TextField label = new TextField("Label (name=value)");
  private final TextField text = new TextField("Search");
  private final DateTimePicker from = new DateTimePicker("Opened from");
  private final DateTimePicker to = new DateTimePicker("Opened before");
  private final Div list = new Div();
  private final Span pageInfo = new Span();
  private final Button previous = new Button("Previous");
  private final Button next = new Button("Next");
  private int offset;
  private Runnable unsubscribe = () -> {};

  public IncidentListView() {
    addClassName("page");
    state.setItems("open", "triggered", "acknowledged", "resolved");
    severity.setItems("critical", "error", "warning", "info");
    state.setId("filter-state");
    severity.setId("filter-severity");
    rule.setId("filter-rule");
    label.setId("filter-label");
    text.setId("filter-text");
    from.setId("filter-from");
    to.setId("filter-to");
    for (TextField field : List.of(rule, label, text)) {
      field.setValueChangeMode(ValueChangeMode.LAZY);
      field.setClearButtonVisible(true);
    }
    state.addValueChangeListener(e -> search());
    severity.addValueChangeListener(e -> search());
    rule.addValueChangeListener(e -> search());
    label.addValueChangeListener(e -> search());
    text.addValueChangeListener(e -> search());
    from.addValueChangeListener(e -> search());
    to.addValueChangeListener(e -> search());
    list.setId("incident-list");
    list.addClassName("incident-list");
    previous.setId("page-previous");
    next.setId("page-next");
    previous.addThemeVariants(ButtonVariant.LUMO_SMALL);
    next.addThemeVariants(ButtonVariant.LUMO_SMALL);
    previous.addClickListener(e -> {
      offset = Math.max(0, offset - PAGE);
      load(UI.getCurrent());
    });
    next.addClickListener(e -> {
      offset += PAGE;
      load(UI.getCurrent());
    });
    Div filters = new Div(text, state, severity, rule, label, from, to);
    filters.addClassName("filters");
    filters.getElement().setAttribute("role", "search");
    Div paging = new Div(previous, pageInfo, next);
    paging.addClassName("paging");
    Main main = new Main(filters, list, paging);
    add(new ConsoleNav("Incidents"), main);
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    unsubscribe = services.feed().subscribe(() -> load(ui));
    load(ui);
  }

  @Override
  protected void onDetach(DetachEvent event) {
    unsubscribe.run();
  }

  private void search() {
    offset = 0;
    load(UI.getCurrent());
  }

  private void load(UI ui) {
    IncidentFilter filter;
    try {
      filter = filter();
    } catch (IllegalArgumentException e) {
      label.setInvalid(true);
      label.setErrorMessage(e.getMessage());
      return;
    }
    label.setInvalid(false);
    int at = offset;
    services.inBackground(ui, () -> services.incidents().search().find(filter, at, PAGE), found -> show(found, at));
  }

  private IncidentFilter filter() {
    String s = state.getValue();
    Set<Incident.State> states = s == null ? Set.of() : switch (s) {
      case "open" -> Set.of(Incident.State.TRIGGERED, Incident.State.ACKNOWLEDGED);
      default -> Set.of(Incident.State.valueOf(s.toUpperCase()));
    };
    String l = label.getValue();
    if (!l.isBlank() && l.indexOf('=') <= 0) {
      throw new IllegalArgumentException("write a label as name=value");
    }
    return new IncidentFilter(states, severity.getValue() == null ? null : Incident.Severity.valueOf(severity.getValue().toUpperCase()),
        rule.getValue(), l, text.getValue(), instant(from.getValue()), instant(to.getValue()));
  }

  private static Instant instant(LocalDateTime t) {
    return t == null ? null : t.atZone(ZoneId.systemDefault()).toInstant();
  }

  private void show(List<Incident> found, int at) {
    list.removeAll();
    boolean more = found.size() > PAGE;
    List<Incident> page = more ? found.subList(0, PAGE) : found;
    if (page.isEmpty()) {
      list.add(new Span(at == 0 ? "No incident matches." : "No more incidents."));
    }
    Instant now = services.clock().instant();
    for (Incident incident : page) {
      IncidentCard card = new IncidentCard(incident, () -> services.workers().submit(() ->
          services.incidents().acknowledge(incident.id(), person.name())));
      card.show(incident, now);
      list.add(card);
    }
    previous.setEnabled(at > 0);
    next.setEnabled(more);
    pageInfo.setText(page.isEmpty() ? "" : "incidents " + (at + 1) + "–" + (at + page.size()));
  }
}
