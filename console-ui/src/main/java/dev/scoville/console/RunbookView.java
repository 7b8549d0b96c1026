package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import java.util.List;

/** One runbook by the name a rule gives it; Slack's "Open runbook" button points here. */
@Route("runbooks/:name")
@PageTitle("Runbook · Scoville")
public class RunbookView extends VerticalLayout implements BeforeEnterObserver {
  private final ConsoleServices services = ConsoleServices.get();
  private final RunbookPanel runbook = new RunbookPanel();
  private String name = "";

  public RunbookView() {
    runbook.setWidthFull();
    add(new ConsoleNav("Runbook"), runbook);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    name = event.getRouteParameters().get("name").orElse("");
    if (isAttached()) {
      load();
    }
  }

  @Override
  protected void onAttach(AttachEvent event) {
    load();
  }

  private void load() {
    services.inBackground(getUI().orElseThrow(), () -> services.actions().runbook(name),
        found -> runbook.show(found.map(List::of).orElse(List.of()), "No runbook is named " + name + "."));
  }
}
