package dev.scoville.rules.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook request is signed: {@code X-Scoville-Signature: v1=<hex>}, the HMAC-SHA256 with
 * the webhook's secret of {@code <X-Scoville-Timestamp>.<raw body>} (the timestamp in Unix
 * seconds). Signing the timestamp with the body lets a receiver refuse replays of old requests.
 */
public final class WebhookSignature {
  public static final String SIGNATURE_HEADER = "X-Scoville-Signature";
  public static final String TIMESTAMP_HEADER = "X-Scoville-Timestamp";

  private WebhookSignature() {}

  /** The value of {@link #SIGNATURE_HEADER} for {@code body} sent at {@code timestamp}. */
  public static String sign(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
