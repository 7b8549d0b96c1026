package dev.scoville.console;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;

/** Sends anyone not signed in to the login view, whatever route they asked for. */
public class SignInGuard implements VaadinServiceInitListener {
  @Override
  public void serviceInit(ServiceInitEvent event) {
    event.getSource().addUIInitListener(init -> init.getUI().addBeforeEnterListener(enter -> {
      if (enter.getNavigationTarget() != LoginView.class && signedIn() == null) {
        enter.forwardTo(LoginView.class);
      }
    }));
  }

  static Users.Person signedIn() {
    VaadinSession session = VaadinSession.getCurrent();
    return session == null ? null : session.getAttribute(Users.Person.class);
  }
}
