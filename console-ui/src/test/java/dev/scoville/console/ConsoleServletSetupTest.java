package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the console's servlet context is given before Vaadin starts: cookie flags, idle timeout. */
class ConsoleServletSetupTest {
  private Server jetty;

  @AfterEach
  void reset() throws Exception {
    ConsoleServletSetup.use(ConsoleConfig.Server.defaults());
    if (jetty != null) {
      jetty.stop();
    }
  }

  @Test
  void overPlainHttpTheCookieIsHttpOnlyAndLaxButNotSecureAndSessionsEndAfterTheIdleTimeout() throws Exception {
    ServletContext context = setUp(new ConsoleConfig.Server(null, null, null, null, Duration.ofMinutes(30), null, null));

    assertThat(context.getSessionCookieConfig().isHttpOnly()).isTrue();
    assertThat(context.getSessionCookieConfig().getAttribute("SameSite")).isEqualTo("Lax");
    assertThat(context.getSessionCookieConfig().isSecure()).isFalse();
    assertThat(context.getSessionTimeout()).isEqualTo(30);
    assertThat(context.getFilterRegistration("scoville-security-headers").getUrlPatternMappings()).containsExactly("/*");
  }

  @Test
  void behindAnHttpsPublicUrlTheCookieIsSecureAndTheDefaultIdleTimeoutIsEightHours() throws Exception {
    ServletContext context = setUp(new ConsoleConfig.Server(null, null, null, "https://war-room.example.com/", null,
        List.of("https://wiki.example.com"), null));

    assertThat(context.getSessionCookieConfig().isSecure()).isTrue();
    assertThat(context.getSessionTimeout()).isEqualTo(8 * 60);
  }

  /** A Jetty context started with the initializer, as vaadin-boot's is (no connector: nothing listens). */
  private ServletContext setUp(ConsoleConfig.Server server) throws Exception {
    ConsoleServletSetup.use(server);
    ServletContextHandler handler = new ServletContextHandler(ServletContextHandler.SESSIONS);
    handler.addServletContainerInitializer(new ConsoleServletSetup());
    jetty = new Server();
    jetty.setHandler(handler);
    jetty.start();
    return handler.getServletContext();
  }
}
