package dev.scoville.rules.notify;

import java.net.URI;

/**
 * One entry of the {@code webhooks} section: escalation levels and fallback routes reach it as
 * {@code webhook:<name>}. {@code secret} signs every request (HMAC-SHA256); write it as {@code
 * ${WEBHOOK_SECRET}} so that it comes from the environment.
 */
public record WebhookConfig(String name, URI url, String secret) {

  /** Why this entry cannot be used, or null when it can. */
  public String problem() {
    if (name == null || name.isBlank()) {
      return "a webhook needs a name";
    }
    if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
      return "webhook " + name + ": url must be an http:// or https:// URL, not " + url;
    }
    if (secret == null || secret.isBlank()) {
      return "webhook " + name + ": a secret is needed to sign its requests (write it as ${ENV_VARIABLE})";
    }
    return null;
  }

  @Override
  public String toString() {
    return "WebhookConfig[name=" + name + ", url=" + url + ", secret=(secret)]";
  }
}
