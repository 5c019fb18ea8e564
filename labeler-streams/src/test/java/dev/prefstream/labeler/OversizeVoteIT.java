package dev.prefstream.labeler;

import static dev.prefstream.labeler.Records.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.testing.Await;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.labeler.Fixtures.Pair;
import dev.prefstream.schemas.AvroSerde;
import dev.prefstream.schemas.JsonVotes;
import dev.prefstream.schemas.PairIds;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An oversize JSON vote on a real broker: a 2 MB vote (an inline image) sent gzip-compressed, which
 * the broker accepts, is refused by the ingest. Its dead letter must be written once, bounded, and
 * the labeler must go on with the next vote; a dead letter that still cannot be written must be
 * counted, not answered with another one.
 */
@ExtendWith(KafkaBroker.class)
class OversizeVoteIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final AvroSerde<DeadLetter> LETTERS = AvroSerde.of(DeadLetter.class);
  private static final AvroSerde<PreferenceVote> VOTES = AvroSerde.of(PreferenceVote.class);

  @Test
  void anOversizeVoteIsOneBoundedDeadLetterAndTheNextVoteIsLabelled() throws Exception {
    PrefstreamConfig base = KafkaBroker.freshConfig(1);
    Topics topics = KafkaBroker.freshTopics(base);
    PrefstreamConfig config = PrefstreamConfig.of(Fixtures.labelerSettings(base, topics, "oversize-it"));
    Pair pair = Fixtures.pair(1);
    byte[] oversize = oversizeVote(pair);

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LabelerService labeler = new LabelerService(config, registry);
        KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry())) {
      labeler.start();
      assertTrue(labeler.awaitReady(WAIT), "labeler not RUNNING");
      sendJson(clients, topics, oversize, valid(pair));

      PreferenceVote vote = awaitLabelled(clients, topics, pair);
      assertEquals("v-valid", vote.getVoteId());

      List<DeadLetter> letters = readAll(clients, topics.dlq().name()).stream()
          .map(r -> LETTERS.decode(r.value())).toList();
      assertEquals(1, letters.size(), "one dead letter, for the oversize vote");
      DeadLetter letter = letters.get(0);
      assertEquals("ingest", letter.getStage());
      assertEquals("invalid-vote", letter.getReason());
      assertEquals(0L, letter.getOffset());
      assertTrue(letter.getError().contains(oversize.length + " bytes exceeds"), letter.getError());
      assertEquals(DeadLetters.MAX_VALUE_BYTES, letter.getValue().remaining(), "the value cut to the limit");
      assertArrayEquals(Arrays.copyOf(oversize, DeadLetters.MAX_VALUE_BYTES), Utils.toArray(letter.getValue()));
      assertEquals(oversize.length, letter.getValueSize(), "the size of the whole vote");
      assertEquals(PairIds.sha256Hex(oversize), letter.getValueSha256(), "the digest of the whole vote");
      assertTrue(letter.getTruncated());
      assertEquals(0.0, failed(registry), "no dead letter failed");
      assertEquals(KafkaStreams.State.RUNNING, labeler.state());
    }
  }

  /**
   * A labeler whose producer refuses requests above 32 KiB, under at-least-once (where a refused send
   * leaves the producer usable): the oversize vote's dead letter cannot be written. It is counted
   * once and becomes nothing else; the next vote is labelled.
   */
  @Test
  void aDeadLetterThatCannotBeWrittenIsCountedOnceAndTheLabelerGoesOn() throws Exception {
    PrefstreamConfig base = KafkaBroker.freshConfig(1);
    Topics topics = KafkaBroker.freshTopics(base);
    Map<String, String> settings = Fixtures.labelerSettings(base, topics, "oversize-lost-it");
    settings.put(LabelerConfig.STREAMS_PREFIX + StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    settings.put(LabelerConfig.STREAMS_PREFIX + StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        String.valueOf(32 * 1024));
    PrefstreamConfig config = PrefstreamConfig.of(settings);
    Pair pair = Fixtures.pair(2);

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LabelerService labeler = new LabelerService(config, registry);
        KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry())) {
      labeler.start();
      assertTrue(labeler.awaitReady(WAIT), "labeler not RUNNING");
      sendJson(clients, topics, oversizeVote(pair), valid(pair));

      awaitLabelled(clients, topics, pair);
      assertEquals(1.0, failed(registry), "the dead letter that could not be written, counted once");
      assertTrue(readAll(clients, topics.dlq().name()).isEmpty(), "and no other dead letter in its place");
      assertNull(registry.find("prefstream.labeler.dead.letters").tag("reason", "production-error").counter(),
          "none attempted either");
      assertEquals(KafkaStreams.State.RUNNING, labeler.state());
    }
  }

  private static double failed(SimpleMeterRegistry registry) {
    return registry.find("prefstream.dlq.failed").counters().stream().mapToDouble(Counter::count).sum();
  }

  /**
   * A vote that is well-formed but for its size: image A is inline, 1.5 MB of a flat image, about
   * 2 MB of JSON that gzip shrinks to a few kilobytes.
   */
  private static byte[] oversizeVote(Pair pair) {
    byte[] pixels = new byte[1_536_000];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i % 3 == 0 ? 200 : 40);
    }
    ImageRef inline = ImageRef.newBuilder(pair.lo()).setUri("inline:").setBytes(ByteBuffer.wrap(pixels)).build();
    PreferenceVote v = PreferenceVote.newBuilder(Fixtures.vote(pair, "v-oversize", "u-big", Choice.A, 0))
        .setImageA(inline).build();
    byte[] json = JsonVotes.toJson(v).getBytes(StandardCharsets.UTF_8);
    assertTrue(json.length > 2_000_000, "a 2 MB vote: " + json.length);
    return json;
  }

  private static byte[] valid(Pair pair) {
    return JsonVotes.toJson(Fixtures.vote(pair, "v-valid", "u-1", Choice.A, 0)).getBytes(StandardCharsets.UTF_8);
  }

  /** Sends the JSON records in order, gzip-compressed, as a client allowed large requests would. */
  private static void sendJson(KafkaClients clients, Topics topics, byte[]... values) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = clients.producer("it-json", new ByteArraySerializer(),
        new ByteArraySerializer(), Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip",
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20))) {
      for (byte[] v : values) {
        producer.send(new ProducerRecord<>(topics.votesJson().name(), "k".getBytes(StandardCharsets.UTF_8), v))
            .get();
      }
    }
  }

  /**
   * Waits for the labeler to publish the valid vote, scores it as the scorer would and waits for the
   * labeler to label its pair; returns the published vote.
   */
  private static PreferenceVote awaitLabelled(KafkaClients clients, Topics topics, Pair pair) throws Exception {
    PreferenceVote[] published = new PreferenceVote[1];
    Await.until(WAIT, () -> {
      List<ConsumerRecord<byte[], byte[]>> votes = readAll(clients, topics.votes().name());
      published[0] = votes.isEmpty() ? null : VOTES.decode(votes.get(votes.size() - 1).value());
      return published[0] != null;
    }, () -> "the valid vote to be published after the oversize one");
    try (KafkaProducer<String, ScoredPair> producer = clients.producerFor("it-scored", topics.scored())) {
      producer.send(new ProducerRecord<>(topics.scored().name(), pair.id(),
          Fixtures.scored(published[0], "s1", 0.9, 0.1))).get();
    }
    Await.until(WAIT, () -> readAll(clients, topics.labels().name()).stream()
            .anyMatch(r -> pair.id().equals(new String(r.key(), StandardCharsets.UTF_8))),
        () -> "the valid vote's pair to be labelled");
    return published[0];
  }
}
