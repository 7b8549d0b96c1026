package dev.scoville.console;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Header;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Nav;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.VaadinSession;

/** The header of every signed-in page: where you are, the way to the others, who you are. */
final class ConsoleNav extends Header {
  ConsoleNav(String page) {
    Users.Person person = SignInGuard.signedIn();
    Button signOut = new Button("Sign out", e -> {
      VaadinSession.getCurrent().getSession().invalidate();
      UI.getCurrent().getPage().reload();
    });
    signOut.setId("sign-out");
    signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
    H1 title = new H1(page);
    title.addClassName("page-title");
    Nav nav = new Nav(link("Board", BoardView.class, "nav-board"), link("Incidents", IncidentListView.class, "nav-incidents"),
        link("Actions", ActionsView.class, "nav-actions"), link("Report", ReportView.class, "nav-report"),
        link("Drills", DrillsView.class, "nav-drills"),
        link("Wall", WallView.class, "nav-wall"));
    nav.getElement().setAttribute("aria-label", "Pages");
    Span who = new Span(person == null ? "" : person.name() + " (" + person.role() + ")");
    who.setId("signed-in-as");
    Span brand = new Span("Scoville");
    brand.addClassName("brand");
    add(brand, title, nav, who, ThemeToggle.button(), signOut);
    addClassName("console-nav");
  }

  private static RouterLink link(String text, Class<? extends Component> view, String id) {
    RouterLink link = new RouterLink(text, view);
    link.setId(id);
    return link;
  }
}
