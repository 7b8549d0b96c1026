package dev.scoville.benchmarks;

import java.io.IOException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A one-node KRaft broker from the Kafka jars, run as a child JVM of {@link KafkaVsPlainConsumer}
 * so that its CPU and heap are not the consumers': prints {@code bootstrap <servers>} once ready,
 * and stops (deleting its log directories) when its standard input closes.
 */
public final class KafkaBroker {
  private KafkaBroker() {}

  public static void main(String[] args) throws Exception {
    try (KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            // The default of 3 never lets a consumer group form on one broker.
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build()) {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      System.out.println("bootstrap " + cluster.bootstrapServers());
      System.out.flush();
      waitForEndOfInput();
    }
  }

  private static void waitForEndOfInput() throws IOException {
    while (System.in.read() >= 0) {
      // The parent holds our input open for as long as it needs the broker.
    }
  }
}
