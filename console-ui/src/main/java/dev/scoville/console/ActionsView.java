package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.KillSwitches;

/** The catalog, what each kill switch serves now, the runs waiting for approval, and the audit log. */
@Route("actions")
@PageTitle("Actions · Scoville")
public class ActionsView extends VerticalLayout {

  private final ConsoleServices services = ConsoleServices.get();
  private final Users.Person person = SignInGuard.signedIn();
  private final Div flags = new Div();
  private final Div approvals = new Div();
  private final Div audit = new Div();
  private final Grid<Action> catalog = new Grid<>();
  private Runnable unsubscribe = () -> {};

  public ActionsView() {
    flags.setId("flags");
    approvals.setId("approvals");
    audit.setId("audit");
    catalog.setId("catalog");
    catalog.addColumn(Action::name).setHeader("Action").setAutoWidth(true).setFlexGrow(0);
    catalog.addColumn(Action::title).setHeader("Title").setAutoWidth(true).setFlexGrow(1);
    catalog.addColumn(a -> kind(a.kind())).setHeader("Kind").setAutoWidth(true).setFlexGrow(0);
    catalog.addColumn(a -> a.risk().name().toLowerCase()).setHeader("Risk").setAutoWidth(true).setFlexGrow(0);
    catalog.addColumn(a -> a.role().word() + (a.secondApprover() ? " + second commander" : "")).setHeader("Who")
        .setAutoWidth(true).setFlexGrow(0);
    catalog.addColumn(a -> a.reversible() ? "yes" : "no").setHeader("Rollback").setAutoWidth(true).setFlexGrow(0);
    catalog.setAllRowsVisible(true);
    add(new ConsoleNav("Actions"), new H3("Kill switches served over OFREP"), flags, new H3("Waiting for approval"), approvals,
        new H3("Audit log"), audit, new H3("Catalog"), catalog);
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    unsubscribe = services.feed().subscribe(() -> reload(ui));
    reload(ui);
  }

  @Override
  protected void onDetach(DetachEvent event) {
    unsubscribe.run();
  }

  private void reload(UI ui) {
    services.inBackground(ui, () -> ActionsPage.load(services.actions()), this::show);
  }

  private void show(ActionsPage page) {
    catalog.setItems(page.catalog());
    flags.removeAll();
    page.flags().forEach(f -> flags.add(flagLine(f)));
    approvals.removeAll();
    if (page.awaitingApproval().isEmpty()) {
      approvals.add(new Span("Nothing waits for approval."));
    }
    page.awaitingApproval().forEach(run -> approvals.add(approvalLine(run)));
    audit.removeAll();
    if (page.auditLog().isEmpty()) {
      audit.add(new Span("No action has been asked for yet."));
    }
    page.auditLog().forEach(run -> {
      Div line = new Div(RunText.summary(run));
      line.setId("audit-" + run.id());
      audit.add(line);
    });
  }

  private static Div flagLine(KillSwitches.Flag flag) {
    Span state = new Span(flag.switched() ? "switched" : "off");
    state.getElement().getThemeList().add("badge " + (flag.switched() ? "error" : "success"));
    Div line = new Div(state, new Span(" " + flag.key() + " = " + flag.value()
        + (flag.changedBy() == null ? "" : " · set by " + flag.changedBy() + " at " + Display.when(flag.changedAt()))));
    line.setId("flag-" + flag.key());
    return line;
  }

  private Div approvalLine(ActionRun run) {
    Button approve = new Button("Approve and run", e -> {
      e.getSource().setEnabled(false);
      services.inBackground(UI.getCurrent(), () -> services.actions().approve(run.id(), person),
          result -> Notification.show(RunText.summary(result), 6000, Notification.Position.BOTTOM_END));
    });
    approve.setId("approve-" + run.id());
    approve.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_PRIMARY);
    Div line = new Div(new Span(RunText.summary(run) + " "), approve);
    line.setId("approval-" + run.id());
    return line;
  }

  private static String kind(Action.Kind kind) {
    if (kind instanceof Action.KillSwitch k) {
      return "kill switch (" + k.flag() + ")";
    }
    if (kind instanceof Action.ScaleOut) {
      return "scale-out";
    }
    return kind instanceof Action.Http ? "HTTP call" : "customer message";
  }
}
