package dev.scoville.console;

import java.time.Duration;

/** The sections the application itself reads: where it listens, its database, users, the demo. */
final class ConsoleConfig {
  private ConsoleConfig() {}

  /** {@code server}: the console (Vaadin) and API (Vert.x) ports, on {@code host}. */
  record Server(String host, int uiPort, int apiPort, String publicUrl) {
    Server {
      host = host == null ? "127.0.0.1" : host;
      uiPort = uiPort == 0 ? 8080 : uiPort;
      apiPort = apiPort == 0 ? 8081 : apiPort;
    }

    static Server defaults() {
      return new Server(null, 0, 0, null);
    }

    String consoleUrl() {
      return publicUrl != null ? publicUrl : "http://" + host + ":" + uiPort + "/";
    }
  }

  /** {@code database}: a JDBC URL; H2 in a file under ./data by default. */
  record DatabaseSettings(String url, Duration retention) {
    DatabaseSettings {
      url = url == null ? "jdbc:h2:file:./data/scoville" : url;
      retention = retention == null ? Duration.ofHours(6) : retention;
    }

    static DatabaseSettings defaults() {
      return new DatabaseSettings(null, null);
    }
  }

  /** {@code users}: who may log in, with which role. Write passwords as {@code ${ENV}} references. */
  record User(String name, String password, String role) {
    @Override
    public String toString() {
      return "User[name=" + name + ", role=" + role + "]";
    }
  }

  /**
   * {@code demo}: an in-process hot-sauce shop scraped as job {@code shop}, and a local PagerDuty
   * sink that receives the pages when no PagerDuty URL is configured.
   */
  record Demo(boolean enabled, double baselineVisitsPerSecond, Duration baseline, Duration peak,
      Duration fault) {
    Demo {
      baselineVisitsPerSecond = baselineVisitsPerSecond == 0 ? 20 : baselineVisitsPerSecond;
    }

    static Demo off() {
      return new Demo(false, 0, null, null, null);
    }
  }
}
