package dev.scoville.contingency;

import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import java.util.Map;
import java.util.UUID;

/** The example catalog of the README, pointed at a local shop stub. */
final class Fixtures {
  static final String CONFIG =
      """
ofrep:
  token: ${OFREP_TOKEN}
actions:
  - name: simplified-site
    title: Serve the simplified site
    description: Static catalogue, no recommendations, no reviews.
    kind: kill_switch
    flag: simplified-site
    value: true
    risk: medium
  - name: backup-payment-provider
    title: Switch to the backup payment provider
    kind: kill_switch
    flag: payment-provider
    value: backup
    off: primary
    risk: medium
    cooldown: 10m
  - name: recommendations-off
    title: Turn recommendations off
    kind: kill_switch
    flag: recommendations-off
    value: true
    risk: low
  - name: purge-cdn
    title: Purge the CDN cache
    kind: http
    method: POST
    url: ${SHOP_URL}/cdn/purge?reason={{reason}}&api_key=${CDN_KEY}
    headers:
      Authorization: Bearer ${SHOP_TOKEN}
      X-Incident: "{{incident.id}}"
    body:
      paths: ["/static/*"]
      note: "{{incident.title}} ({{user}})"
    parameters:
      - name: region
        default: eu
    risk: low
    timeout: 1s
    rollback:
      method: DELETE
      url: ${SHOP_URL}/cdn/purge/{{params.region}}
  - name: scale-out-web
    title: Scale out the web tier
    kind: scale_out
    url: ${SHOP_URL}/scale
    body:
      service: web
      replicas: "{{params.count}}"
    parameters:
      - name: count
        default: 6
    max_count: 20
    risk: high
    role: commander
    cooldown: 5m
  - name: customer-message-delay
    title: Tell customers orders ship late
    kind: customer_message
    headline: "Orders ship a little later"
    message: "Because of {{params.cause}}, orders placed today ship within {{params.days}} days."
    parameters:
      - name: cause
        required: true
      - name: days
        default: 3
        type: integer
    risk: low
""";

  private Fixtures() {}

  static ConfigFile config(String shopUrl) {
    return ConfigFile.parse(
        "scoville.yaml",
        CONFIG,
        Map.of(
            "SHOP_URL",
            shopUrl,
            "SHOP_TOKEN",
            "s3cret-token",
            "CDN_KEY",
            "cdn-k3y",
            "OFREP_TOKEN",
            "shop-reads-flags"));
  }

  static Database database() {
    return Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }
}
