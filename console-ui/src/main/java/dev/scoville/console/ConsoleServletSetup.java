package dev.scoville.console;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The console's servlet context before Vaadin's: the session cookie {@code HttpOnly}, {@code
 * SameSite=Lax} (a PagerDuty or Slack link, a top-level navigation, still carries it) and {@code
 * Secure} when people reach the console over HTTPS; the idle timeout; the security headers on
 * every response. Jetty finds this class through {@code META-INF/services}; the running
 * application leaves its settings here first, as it does its services.
 */
public class ConsoleServletSetup implements ServletContainerInitializer {
  private static final AtomicReference<ConsoleConfig.Server> SERVER = new AtomicReference<>(ConsoleConfig.Server.defaults());

  static void use(ConsoleConfig.Server server) {
    SERVER.set(server);
  }

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    ConsoleConfig.Server server = SERVER.get();
    SessionCookieConfig cookie = context.getSessionCookieConfig();
    cookie.setHttpOnly(true);
    cookie.setSecure(server.secureCookies());
    cookie.setAttribute("SameSite", "Lax");
    // An open console keeps its session through Vaadin's heartbeat; this ends the ones left behind.
    context.setSessionTimeout((int) Math.max(1, server.sessionIdleTimeout().toMinutes()));
    SecurityHeaders headers = SecurityHeaders.of(server);
    FilterRegistration.Dynamic filter = context.addFilter("scoville-security-headers", (request, response, chain) -> {
      headers.values().forEach(((HttpServletResponse) response)::setHeader);
      chain.doFilter(request, response);
    });
    filter.setAsyncSupported(true);
    filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), false, "/*");
  }
}
