package dev.prefstream.labeler;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.PairLabel;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.PseudoLabel;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.labeler.errors.LabelerDeadLetters;
import dev.prefstream.labeler.voting.Reliability;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The labeler topology in a {@link TopologyTestDriver}, with typed input and output topics. */
final class LabelerDriver implements AutoCloseable {
  final Topics topics = Topics.defaults();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  final TestInputTopic<byte[], byte[]> votesJson;
  final TestInputTopic<String, ScoredPair> scored;
  final TestInputTopic<String, byte[]> scoredRaw;
  final TestInputTopic<String, PseudoLabel> pseudo;
  final TestOutputTopic<String, PreferenceVote> votes;
  final TestOutputTopic<String, PairLabel> labels;
  final TestOutputTopic<String, LabeledPair> clean;
  final TestOutputTopic<String, LabeledPair> conflicting;
  final TestOutputTopic<String, LabeledPair> relabeled;
  final TestOutputTopic<byte[], DeadLetter> dlq;

  LabelerDriver(String... keyValues) {
    Map<String, String> p = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put(keyValues[i], keyValues[i + 1]);
    }
    LabelerConfig config = LabelerConfig.from(p);
    LabelerMetrics metrics = new LabelerMetrics(registry);
    Properties props = LabelerService.streamsProperties(config, Map.of("bootstrap.servers", "unused:9092"),
        new LabelerDeadLetters(topics.dlq(), metrics));
    props.put(StreamsConfig.STATE_DIR_CONFIG, "target/ttd-state");
    driver = new TopologyTestDriver(LabelerTopology.build(config, topics, metrics), props, Fixtures.T0);
    votesJson = input(topics.votesJson());
    scored = input(topics.scored());
    scoredRaw = driver.createInputTopic(topics.scored().name(), Serdes.String().serializer(),
        Serdes.ByteArray().serializer(), Fixtures.T0, Duration.ofMillis(1));
    pseudo = input(topics.pseudoLabels());
    votes = output(topics.votes());
    labels = output(topics.labels());
    clean = output(topics.clean());
    conflicting = output(topics.conflicting());
    relabeled = output(topics.relabeled());
    dlq = output(topics.dlq());
  }

  void score(ScoredPair s) {
    scored.pipeInput(s.getVote().getPairId(), s);
  }

  double counter(String name) {
    var c = registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

  /** A scorer's reliability counts as the metrics publish them (this driver runs one labelling task). */
  Reliability reliability(String scorer) {
    var votes = registry.find("prefstream.labeler.scorer.votes").tag("scorer", scorer).gauge();
    var rate = registry.find("prefstream.labeler.scorer.agreement").tag("scorer", scorer).gauge();
    if (votes == null || votes.value() == 0) {
      return Reliability.NONE;
    }
    return new Reliability(Math.round(rate.value() * votes.value()), (long) votes.value());
  }

  private <K, V> TestInputTopic<K, V> input(Topic<K, V> t) {
    return driver.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer(), Fixtures.T0,
        Duration.ofMillis(1));
  }

  private <K, V> TestOutputTopic<K, V> output(Topic<K, V> t) {
    return driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
  }

  @Override
  public void close() {
    driver.close();
  }
}
