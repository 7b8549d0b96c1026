package dev.scoville.console;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;

/**
 * Sends anyone not signed in to the login view, whatever route they asked for, and remembers that
 * route so that signing in lands there: a PagerDuty or Slack link survives the login form.
 */
public class SignInGuard implements VaadinServiceInitListener {
  private static final String AFTER_SIGN_IN = "scoville.after-sign-in";

  @Override
  public void serviceInit(ServiceInitEvent event) {
    event.getSource().addUIInitListener(init -> init.getUI().addBeforeEnterListener(enter -> {
      if (enter.getNavigationTarget() != LoginView.class && signedIn() == null) {
        // a path inside this console, never a URL: nothing here can send anyone elsewhere
        VaadinSession.getCurrent().setAttribute(AFTER_SIGN_IN, enter.getLocation().getPathWithQueryParameters());
        enter.forwardTo(LoginView.class);
      }
    }));
  }

  /** Where the person was going before the login form, once; the board when they came to sign in. */
  static String takeDestination() {
    VaadinSession session = VaadinSession.getCurrent();
    Object destination = session.getAttribute(AFTER_SIGN_IN);
    session.setAttribute(AFTER_SIGN_IN, null);
    return destination == null ? "" : destination.toString();
  }

  static Users.Person signedIn() {
    VaadinSession session = VaadinSession.getCurrent();
    return session == null ? null : session.getAttribute(Users.Person.class);
  }
}
