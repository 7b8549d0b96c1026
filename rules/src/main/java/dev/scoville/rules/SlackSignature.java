package dev.scoville.rules;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's v0 request signature: {@code v0=} + hex(HMAC-SHA256(signing secret, {@code
 * v0:<timestamp>:<raw body>})). Written here rather than taken from the SDK, whose verifier
 * compares as plain strings and accepts timestamps from the future.
 */
final class SlackSignature {
  /** Slack's replay window, in either direction. */
  static final Duration WINDOW = Duration.ofMinutes(5);

  private final SecretKeySpec key;
  private final Clock clock;

  /** With no {@code signingSecret}, nothing verifies. */
  SlackSignature(String signingSecret, Clock clock) {
    this.key = signingSecret == null || signingSecret.isEmpty() ? null
        : new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.clock = clock;
  }

  boolean verify(String timestamp, String signature, byte[] body) {
    if (key == null || timestamp == null || signature == null) {
      return false;
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    long now = clock.instant().getEpochSecond();
    // Compared this way round so that no timestamp, however extreme, overflows.
    if (sentAt < now - WINDOW.toSeconds() || sentAt > now + WINDOW.toSeconds()) {
      return false;
    }
    byte[] expected = ("v0=" + HexFormat.of().formatHex(hmac(timestamp, body))).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
  }

  private byte[] hmac(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
