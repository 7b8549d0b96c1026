package dev.scoville.console;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.VaadinSession;

/** The header of every signed-in page: where you are, the way to the others, who you are. */
final class ConsoleNav extends HorizontalLayout {
  ConsoleNav() {
    Users.Person person = SignInGuard.signedIn();
    Button signOut = new Button("Sign out", e -> {
      VaadinSession.getCurrent().getSession().invalidate();
      UI.getCurrent().getPage().reload();
    });
    signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    add(new H2("Scoville war room"), link("Board", BoardView.class, "nav-board"),
        link("Actions", ActionsView.class, "nav-actions"),
        new Span(person == null ? "" : person.name() + " (" + person.role() + ")"), signOut);
    setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    setWidthFull();
  }

  private static RouterLink link(String text, Class<? extends Component> view, String id) {
    RouterLink link = new RouterLink(text, view);
    link.setId(id);
    return link;
  }
}
