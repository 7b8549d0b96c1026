package dev.scoville.rules;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where people open an incident, its runbook and its actions in the console. A runbook written
 * as an absolute URL is linked as it is; a runbook name is the console's page for it.
 */
public record IncidentLinks(URI consoleUrl) {

  public Optional<String> incident(Incident incident) {
    return console("incidents/" + incident.id());
  }

  public Optional<String> runbook(Incident incident) {
    String runbook = incident.runbook();
    if (runbook == null || runbook.isBlank()) {
      return Optional.empty();
    }
    if (runbook.startsWith("https://") || runbook.startsWith("http://")) {
      return Optional.of(runbook);
    }
    return console("runbooks/" + encode(runbook));
  }

  /** The incident's page with the suggested action ready to confirm: roles and audit stay the console's. */
  Optional<String> action(Incident incident, String action) {
    return console("incidents/" + incident.id() + "?action=" + encode(action));
  }

  private Optional<String> console(String path) {
    return consoleUrl == null ? Optional.empty() : Optional.of(consoleUrl.resolve(path).toString());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
