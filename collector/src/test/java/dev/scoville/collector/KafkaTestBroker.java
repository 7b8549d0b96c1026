package dev.scoville.collector;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A one-node KRaft Kafka (broker and controller combined) in the test's JVM, from the Kafka jars. */
public final class KafkaTestBroker {
  private KafkaTestBroker() {}

  /** Started and ready; close it when done. */
  public static KafkaClusterTestKit start() throws Exception {
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
        .setNumBrokerNodes(1).setNumControllerNodes(1).build())
        // The default of 3 never lets a consumer group form on one broker.
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return cluster;
  }
}
