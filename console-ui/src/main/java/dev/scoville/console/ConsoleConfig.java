package dev.scoville.console;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** The sections the application itself reads: where it listens, its database, users, the demo. */
final class ConsoleConfig {
  private ConsoleConfig() {}

  /**
   * {@code server}: the console (Vaadin) and API (Vert.x) ports, on {@code host}; {@code
   * publicUrl} is where people reach the console (its scheme decides the {@code Secure} cookie
   * flag); {@code sessionIdleTimeout} ends a console session no browser has used for that long;
   * {@code frameAncestors} are the origins that may frame the console (none by default); {@code
   * tls} serves both ports over HTTPS from PEM files.
   */
  record Server(String host, Integer uiPort, Integer apiPort, String publicUrl, Duration sessionIdleTimeout,
      List<String> frameAncestors, Tls tls) {
    private static final Pattern ORIGIN = Pattern.compile("'self'|https?://[A-Za-z0-9.*-]+(:[0-9]+)?");

    Server {
      host = host == null ? "127.0.0.1" : host;
      uiPort = port("uiPort", uiPort, 8080);
      apiPort = port("apiPort", apiPort, 8081);
      if (publicUrl != null) {
        URI url;
        try {
          url = new URI(publicUrl);
        } catch (URISyntaxException e) {
          throw new IllegalArgumentException("publicUrl: not a URL: " + e.getReason());
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
          throw new IllegalArgumentException("publicUrl: must be an http:// or https:// URL with a host");
        }
      }
      sessionIdleTimeout = sessionIdleTimeout == null ? Duration.ofHours(8) : sessionIdleTimeout;
      if (sessionIdleTimeout.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException("sessionIdleTimeout: must be at least 1m");
      }
      frameAncestors = frameAncestors == null ? List.of() : List.copyOf(frameAncestors);
      for (String origin : frameAncestors) {
        if (!ORIGIN.matcher(origin).matches()) {
          throw new IllegalArgumentException("frameAncestors: '" + origin
              + "' is not an origin ('self', https://host or https://host:port)");
        }
      }
    }

    private static int port(String field, Integer port, int absent) {
      if (port == null || port == 0) {
        return absent;
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(field + ": must be a port, 1 to 65535, got " + port);
      }
      return port;
    }

    static Server defaults() {
      return new Server(null, null, null, null, null, null, null);
    }

    String consoleUrl() {
      return publicUrl != null ? publicUrl : (tls != null ? "https" : "http") + "://" + host + ":" + uiPort + "/";
    }

    String apiUrl() {
      return (tls != null ? "https" : "http") + "://" + host + ":" + apiPort + "/";
    }

    /** Cookies only over HTTPS when people reach the console over HTTPS. */
    boolean secureCookies() {
      return consoleUrl().startsWith("https:");
    }
  }

  /** {@code server.tls}: a PEM certificate chain and its PEM private key (PKCS#8). */
  record Tls(Path certificate, Path key) {
    Tls {
      if (certificate == null || key == null) {
        throw new IllegalArgumentException("certificate: server.tls needs both certificate and key (PEM files)");
      }
    }
  }

  /**
   * {@code database}: a JDBC URL (H2 in a file under ./data by default) and its credentials, how
   * long samples stay in memory, and how many series the memory is sized for when the JVM is
   * started with no options.
   */
  record DatabaseSettings(String url, String user, String password, Duration retention, Long series) {
    DatabaseSettings {
      url = url == null ? "jdbc:h2:file:./data/scoville" : url;
      retention = retention == null ? Duration.ofHours(6) : retention;
      series = series == null ? 100_000L : series;
      if (series < 0) {
        throw new IllegalArgumentException("series: must not be negative, was " + series);
      }
    }

    static DatabaseSettings defaults() {
      return new DatabaseSettings(null, null, null, null, null);
    }

    /** The password comes from the environment; it has no place in a log line. */
    @Override
    public String toString() {
      return "DatabaseSettings[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "***")
          + ", retention=" + retention + ", series=" + series + "]";
    }
  }

  /**
   * {@code users}: who may sign in, with which role. A password is a bcrypt hash (print one with
   * {@code HashPassword}) or a plaintext {@code ${ENV}} reference, which Scoville warns about.
   */
  record User(String name, String password, String role) {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

    User {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name: every user needs a name");
      }
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("password: user " + name + " has no password");
      }
      if (password.startsWith("$2") && !isHash(password)) {
        // never the value: it may be a mangled secret
        throw new IllegalArgumentException("password: user " + name
            + " has a value that starts like a bcrypt hash but is not one ($2a$, $2b$ or $2y$, two-digit cost, 53 characters)");
      }
    }

    static boolean isHash(String password) {
      return password != null && BCRYPT.matcher(password).matches();
    }

    @Override
    public String toString() {
      return "User[name=" + name + ", role=" + role + "]";
    }
  }

  /**
   * {@code demo}: an in-process hot-sauce shop scraped as job {@code shop}, and a local PagerDuty
   * sink that receives the pages when no PagerDuty URL is configured.
   */
  record Demo(Boolean enabled, Double baselineVisitsPerSecond, Duration baseline, Duration peak,
      Duration fault) {
    Demo {
      enabled = enabled != null && enabled;
      baselineVisitsPerSecond = baselineVisitsPerSecond == null || baselineVisitsPerSecond == 0 ? 20 : baselineVisitsPerSecond;
    }

    static Demo off() {
      return new Demo(false, null, null, null, null);
    }
  }
}
