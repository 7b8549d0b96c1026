package dev.scoville.console;

import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

/** The live board: what needs a decision, open incidents, the shop's signals, targets. */
@Route("")
@PageTitle("War room · Scoville")
public class BoardView extends VerticalLayout implements BeforeEnterObserver {
  public BoardView() {
    ConsoleServices services = ConsoleServices.get();
    Users.Person person = SignInGuard.signedIn();
    addClassName("page");
    add(new ConsoleNav("War room"), new BoardPanel(services, person));
  }

  /** {@code /?wall} is the wall screen, as {@code /wall} is. */
  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    if (event.getLocation().getQueryParameters().getParameters().containsKey("wall")) {
      event.forwardTo(WallView.class);
    }
  }
}
