package dev.scoville.shop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The card gateway's public status page, as an Atlassian Statuspage {@code summary.json}: what a
 * war room reads from its payment provider. It admits the demo's fault, or a drill's, while it lasts.
 */
final class GatewayStatusPage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GatewayStatusPage() {}

  static String summary(boolean outage, Instant now) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("page").put("id", "card-gateway").put("name", "Card Gateway")
        .put("updated_at", now.toString());
    root.putObject("status").put("indicator", outage ? "major" : "none")
        .put("description", outage ? "Partial System Outage" : "All Systems Operational");
    ArrayNode components = root.putArray("components");
    components.addObject().put("id", "card-payments").put("name", "Card payments")
        .put("status", outage ? "partial_outage" : "operational");
    components.addObject().put("id", "dashboard").put("name", "Merchant dashboard").put("status", "operational");
    ArrayNode incidents = root.putArray("incidents");
    if (outage) {
      incidents.addObject().put("id", "elevated-errors").put("name", "Elevated card payment errors")
          .put("status", "investigating").put("impact", "major");
    }
    root.putArray("scheduled_maintenances");
    return root.toString();
  }
}
