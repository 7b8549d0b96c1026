package dev.scoville.collector.probe;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code probes} section: third parties checked from Scoville's side, as series. HTTP checks
 * (the payment gateway's or the logistics API's health endpoint) and Atlassian Statuspage pages.
 */
public record ProbesConfig(Duration interval, Duration timeout, List<Http> http, List<StatusPage> statuspages) {

  public ProbesConfig {
    interval = interval == null ? Duration.ofSeconds(30) : interval;
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    http = http == null ? List.of() : List.copyOf(http);
    statuspages = statuspages == null ? List.of() : List.copyOf(statuspages);
  }

  public static ProbesConfig none() {
    return new ProbesConfig(null, null, null, null);
  }

  /** These probes and one more status page (the demo's card gateway). */
  public ProbesConfig withStatusPage(StatusPage page) {
    List<StatusPage> pages = new ArrayList<>(statuspages);
    pages.add(page);
    return new ProbesConfig(interval, timeout, http, pages);
  }

  /**
   * An HTTP check: GET {@code url}; it succeeds when the status is {@code expectStatus} (default:
   * any 2xx) and, if given, the body matches the regular expression {@code bodyMatch}.
   */
  public record Http(String name, URI url, Integer expectStatus, String bodyMatch) {}

  /** A Statuspage: {@code url} is its {@code /api/v2/summary.json}. */
  public record StatusPage(String name, URI url) {}
}
