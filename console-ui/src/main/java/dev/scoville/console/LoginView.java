package dev.scoville.console;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Location;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;

@Route("login")
@PageTitle("Sign in · Scoville")
public class LoginView extends VerticalLayout {
  public LoginView() {
    LoginForm form = new LoginForm();
    form.setForgotPasswordButtonVisible(false);
    form.addLoginListener(event -> {
      VaadinRequest request = VaadinService.getCurrentRequest();
      SignIn.Outcome outcome = ConsoleServices.get().signIn()
          .attempt(event.getUsername(), event.getPassword(), request.getRemoteAddr(), SignIn.Via.CONSOLE);
      if (outcome instanceof SignIn.SignedIn signedIn) {
        // A new session id from here on: one planted before sign-in (session fixation) is worth nothing.
        VaadinService.reinitializeSession(request);
        VaadinSession.getCurrent().setAttribute(Users.Person.class, signedIn.person());
        Location destination = new Location(SignInGuard.takeDestination());
        getUI().ifPresent(ui -> ui.navigate(destination.getPath(), destination.getQueryParameters()));
        return;
      }
      LoginI18n i18n = LoginI18n.createDefault();
      if (outcome instanceof SignIn.Throttled throttled) {
        i18n.getErrorMessage().setTitle("Too many failed sign-ins");
        i18n.getErrorMessage().setMessage("Try again in " + throttled.seconds() + " seconds.");
      }
      form.setI18n(i18n);
      form.setError(true);
    });
    setSizeFull();
    setAlignItems(Alignment.CENTER);
    setJustifyContentMode(JustifyContentMode.CENTER);
    add(new H1("Scoville war room"), form);
  }
}
