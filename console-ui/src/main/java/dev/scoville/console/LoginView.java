package dev.scoville.console;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Location;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;

@Route("login")
@PageTitle("Sign in · Scoville")
public class LoginView extends VerticalLayout {
  public LoginView() {
    LoginForm form = new LoginForm();
    form.setForgotPasswordButtonVisible(false);
    form.addLoginListener(event -> ConsoleServices.get().users()
        .authenticate(event.getUsername(), event.getPassword())
        .ifPresentOrElse(person -> {
          VaadinSession.getCurrent().setAttribute(Users.Person.class, person);
          Location destination = new Location(SignInGuard.takeDestination());
          getUI().ifPresent(ui -> ui.navigate(destination.getPath(), destination.getQueryParameters()));
        }, () -> form.setError(true)));
    setSizeFull();
    setAlignItems(Alignment.CENTER);
    setJustifyContentMode(JustifyContentMode.CENTER);
    add(new H1("Scoville war room"), form);
  }
}
