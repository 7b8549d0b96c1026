package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;

/**
 * The board for a wall screen: no navigation, type that grows with the screen (a 4K wall reads
 * from across the room), the board filling it.
 */
@Route("wall")
@PageTitle("Wall · Scoville")
public class WallView extends VerticalLayout {
  public WallView() {
    addClassName("wall");
    setPadding(false);
    RouterLink leave = new RouterLink("Leave wall mode", BoardView.class);
    leave.setId("leave-wall");
    Div corner = new Div(leave, ThemeToggle.button());
    corner.addClassName("wall-corner");
    H1 title = new H1("Scoville war room");
    title.addClassName("wall-title");
    add(new Div(title, corner), new BoardPanel(ConsoleServices.get(), SignInGuard.signedIn()));
    getChildren().findFirst().ifPresent(c -> c.getElement().getClassList().add("wall-head"));
  }

  @Override
  protected void onAttach(AttachEvent event) {
    event.getUI().getElement().executeJs("document.documentElement.classList.add('wall-mode')");
  }

  @Override
  protected void onDetach(DetachEvent event) {
    event.getUI().getElement().executeJs("document.documentElement.classList.remove('wall-mode')");
  }
}
