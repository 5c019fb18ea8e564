package dev.prefstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.Side;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.diffusion.Rng;
import dev.prefstream.diffusion.train.TimestepBands;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairIngestTest {
  private static final int SIZE = 8;
  private final Topics topics = Topics.defaults();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Random random = new Random(1);
  private ImageStore images;
  private ReplayBuffer buffer;
  private MockProducer<byte[], DeadLetter> dlq;
  private TrainerMetrics metrics;
  private PairIngest ingest;
  private long offset;

  @BeforeEach
  void setUp(@TempDir Path root) {
    images = new ImageStore(ImageStore.Settings.of(root));
    buffer = new ReplayBuffer(16, 16);
    dlq = new MockProducer<>(true, null, new ByteArraySerializer(), topics.dlq().valueSerde().serializer());
    metrics = new TrainerMetrics(registry, "m");
    TrainerConfig config = TrainerConfig.from(PrefstreamConfig.of(Map.of()));
    ingest = new PairIngest(Map.of(Feed.CLEAN, topics.clean()), config, TimestepBands.semiDpoDefaults(), images,
        SIZE, buffer, new DeadLetters(topics.dlq(), "trainer", registry), dlq, metrics);
  }

  @AfterEach
  void tearDown() {
    metrics.close();
  }

  private void send(LabeledPair pair) {
    send(topics.clean().valueSerde().serializer().serialize(topics.clean().name(), pair));
  }

  private void send(byte[] value) {
    ingest.accept(new ConsumerRecord<>(topics.clean().name(), 0, offset++, "k".getBytes(StandardCharsets.UTF_8), value),
        false);
  }

  @Test
  void storesThePairInTheOrderOfTheLabelersWinner() {
    RgbImage a = Pairs.square(SIZE, true, random);
    RgbImage b = Pairs.square(SIZE, false, random);
    send(LabeledPair.newBuilder(Pairs.labeled(images, a, b, Side.A, Side.B, false)).setWinner(Side.B).build());
    TrainingPair stored = buffer.sample(1, new Rng(1)).get(0);
    assertEquals(RgbImage.decode(b.toPng()), stored.pair().winner(), "the labeler's winner: B (its human label says A)");
    assertEquals(RgbImage.decode(a.toPng()), stored.pair().loser());
    send(Pairs.labeled(images, a, b, Side.ABSTAIN, Side.A, false));
    assertEquals(0, buffer.size(), "the latest label is a tie: the pair leaves the buffer");
    send(Pairs.labeled(images, a, b, Side.B, Side.B, true));
    assertEquals(1, buffer.holdoutSize());
    LabeledPair held = Pairs.labeled(images, a, b, Side.B, Side.B, true);
    ingest.accept(new ConsumerRecord<>(topics.clean().name(), 0, offset++,
        held.getPairId().getBytes(StandardCharsets.UTF_8), null), false);
    assertEquals(0, buffer.holdoutSize(), "a tombstone deletes the pair");
    assertTrue(dlq.history().isEmpty());
  }

  @Test
  void badRecordsAndImagesBecomeDeadLettersWithTheirReason() {
    RgbImage a = Pairs.square(SIZE, true, random);
    ImageRef good = images.put(a);
    ImageRef wrongDigest = ImageRef.newBuilder(images.put(Pairs.square(SIZE, false, random))).setSha256("00".repeat(32)).build();
    ImageRef outside = ImageRef.newBuilder(good).setUri("file:../../etc/passwd").build();
    ImageRef tooBig = images.put(Pairs.square(2 * SIZE, false, random));
    send("not avro".getBytes(StandardCharsets.UTF_8));
    send(Pairs.labeled(good, wrongDigest, Side.A, Side.A, false));
    send(Pairs.labeled(good, outside, Side.A, Side.A, false));
    send(Pairs.labeled(good, tooBig, Side.A, Side.A, false));
    send(Pairs.labeled(images, a, Pairs.square(SIZE, false, random), Side.A, Side.A, false));
    List<String> reasons = dlq.history().stream().map(r -> r.value().getReason()).toList();
    assertEquals(List.of("undecodable", "bad-digest", "outside-root", PairIngest.WRONG_IMAGE_SIZE), reasons);
    assertEquals(2L, dlq.history().get(2).value().getOffset(), "provenance: the source offset");
    assertEquals(1, buffer.size(), "the loop went on to the good pair");
    ingest.accept(new ConsumerRecord<>(topics.clean().name(), 0, 0, null, "not avro".getBytes(StandardCharsets.UTF_8)),
        true);
    assertEquals(4, dlq.history().size(), "a record re-read while rebuilding was dead-lettered before");
  }
}
