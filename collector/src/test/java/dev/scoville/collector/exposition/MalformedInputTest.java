package dev.scoville.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Corrupted payloads end in an ExpositionException, never in another exception. */
class MalformedInputTest {
  private static final byte[] ALPHABET =
      "{}=\",# \n\r\t\\.eE+-0123456789aZ_:\u00ff".getBytes(StandardCharsets.ISO_8859_1);

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = MalformedInputTest.class.getResourceAsStream("/exposition/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void rejectsCorruptedPayloadsOnlyWithExpositionExceptions() throws Exception {
    Random random = new Random(7);
    int rejected = 0;
    for (ExpositionFormat format : ExpositionFormat.values()) {
      byte[] original =
          resource(
              format == ExpositionFormat.TEXT_0_0_4 ? "node_exporter.txt" : "node_exporter.om.txt");
      for (int run = 0; run < 3_000; run++) {
        byte[] body = original.clone();
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
          body[random.nextInt(body.length)] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        try {
          ExpositionParser.parse(body, format, 0);
        } catch (ExpositionException e) {
          assertThat(e.line()).isPositive();
          assertThat(e.column()).isPositive();
          rejected++;
        }
      }
    }
    assertThat(rejected).isGreaterThan(1_000);
  }

  @Test
  void rejectsEveryTruncationOfAnOpenMetricsPayloadButTheFullOne() throws Exception {
    byte[] original = resource("node_exporter.om.txt");
    Random random = new Random(11);
    for (int run = 0; run < 300; run++) {
      int length = random.nextInt(original.length - 6);
      byte[] body = Arrays.copyOf(original, length);
      assertThatThrownBy(() -> ExpositionParser.parse(body, ExpositionFormat.OPENMETRICS_1_0_0, 0))
          .isInstanceOf(ExpositionException.class);
    }
  }
}
