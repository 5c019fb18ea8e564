package dev.prefstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.ModelVersion;
import dev.prefstream.avro.Side;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.core.testing.Await;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer against a real broker: labelled red-over-blue pairs on the clean topic, versions
 * published (files, manifest and digests first, then the ModelVersion record), a simulated crash
 * mid-run, and a restart that resumes from the checkpoint's offsets with the next version number.
 */
@ExtendWith(KafkaBroker.class)
class TrainerServiceIT {
  private static final String MODEL = "it-unet";
  private static final int SIZE = 16;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private final Random random = new Random(21);
  private final List<ModelVersion> announced = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();

  private PrefstreamConfig config() {
    Map<String, String> m = new HashMap<>(KafkaBroker.freshConfig(2).asMap());
    m.put("trainer.model", MODEL);
    m.put("trainer.image-size", String.valueOf(SIZE));
    m.put("trainer.unet.base-channels", "8");
    m.put("trainer.unet.groups", "4");
    m.put("trainer.unet.word-dim", "8");
    m.put("trainer.unet.max-tokens", "6");
    m.put("trainer.vocabulary", String.join(",", Pairs.WORDS));
    m.put("trainer.feeds", "clean");
    m.put("trainer.batch-pairs", "4");
    m.put("trainer.lr", "1e-3");
    m.put("trainer.steps-per-version", "6");
    m.put("trainer.checkpoint-every", "4");
    m.put("trainer.buffer.min", "8");
    m.put("trainer.progress-interval", "1s");
    m.put("models.root", dir.resolve("models").toString());
    m.put("images.roots", dir.resolve("images").toString());
    return PrefstreamConfig.of(m);
  }

  /** Red always wins; A or B at random; every fifth pair held out. */
  private void sendPairs(KafkaProducer<String, LabeledPair> producer, Topic<String, LabeledPair> clean,
      ImageStore images, int from, int count) throws Exception {
    for (int i = from; i < from + count; i++) {
      RgbImage red = Pairs.square(SIZE, true, random);
      RgbImage blue = Pairs.square(SIZE, false, random);
      boolean redFirst = random.nextBoolean();
      Side winner = redFirst ? Side.A : Side.B;
      LabeledPair pair = Pairs.labeled(images, redFirst ? red : blue, redFirst ? blue : red, winner, winner, i % 5 == 4);
      producer.send(new ProducerRecord<>(clean.name(), pair.getPairId(), pair)).get(10, TimeUnit.SECONDS);
    }
  }

  private List<ModelVersion> readVersions(KafkaConsumer<String, ModelVersion> consumer) {
    consumer.poll(Duration.ofMillis(100)).forEach(r -> announced.add(r.value()));
    return announced;
  }

  private List<DeadLetter> readDeadLetters(KafkaConsumer<byte[], DeadLetter> consumer) {
    consumer.poll(Duration.ofMillis(100)).forEach(r -> deadLetters.add(r.value()));
    return deadLetters;
  }

  private static int lastAnnounced(List<ModelVersion> versions) {
    return versions.isEmpty() ? -1 : versions.get(versions.size() - 1).getVersion();
  }

  @Test
  void trainsPublishesVersionsAndResumesAfterACrash() throws Exception {
    PrefstreamConfig config = config();
    Topics topics = KafkaBroker.freshTopics(config);
    TrainerConfig trainerConfig = TrainerConfig.from(config);
    ModelStore store = new ModelStore(trainerConfig.modelStoreRoot());
    ImageStore images = new ImageStore(trainerConfig.images());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaClients clients = new KafkaClients(config, registry);
        KafkaProducer<String, LabeledPair> producer = clients.producerFor("it-pairs", topics.clean());
        KafkaConsumer<String, ModelVersion> versions = clients.consumer(null, "it-versions",
            topics.modelVersions().keySerde().deserializer(), topics.modelVersions().valueSerde().deserializer());
        KafkaConsumer<byte[], DeadLetter> dlq = clients.consumer(null, "it-dlq",
            topics.dlq().keySerde().deserializer(), topics.dlq().valueSerde().deserializer())) {
      versions.assign(List.of(new TopicPartition(topics.modelVersions().name(), 0)));
      dlq.assign(List.of(new TopicPartition(topics.dlq().name(), 0), new TopicPartition(topics.dlq().name(), 1)));
      sendPairs(producer, topics.clean(), images, 0, 30);
      ImageRef missing = ImageRef.newBuilder().setUri("file:images/nowhere.png").setSha256("ab".repeat(32)).build();
      LabeledPair broken = Pairs.labeled(images.put(Pairs.square(SIZE, true, random)), missing, Side.A, Side.A, false);
      producer.send(new ProducerRecord<>(topics.clean().name(), broken.getPairId(), broken)).get();

      // first run: fresh UNet published as v0, then v1 and v2 (step 12); then a crash right after step 17,
      // which is off the checkpoint grid (every 4 steps): the work since step 16 is lost and must be redone
      long start = System.nanoTime();
      TrainerService first = new TrainerService(trainerConfig, clients, store, images);
      first.crashAfterStep(17);
      first.start();
      assertTrue(first.awaitReady(WAIT), "trainer ready");
      assertTrue(first.awaitTermination(WAIT), "crashed after step 17: " + first.status());
      double seconds = (System.nanoTime() - start) / 1e9;
      TrainerStatus crashed = first.status();
      assertNull(registry.find("prefstream.trainer.step.time").timer(), "a stopped trainer removes its meters");
      assertEquals(24, crashed.bufferSize(), "30 pairs, 6 held out, 1 dead letter not counted");
      assertEquals(6, crashed.holdoutSize());
      Await.until(WAIT, () -> readDeadLetters(dlq).size() == 1, () -> "the pair with a missing image is dead-lettered");
      assertEquals("missing-image", deadLetters.get(0).getReason());

      Await.until(WAIT, () -> lastAnnounced(readVersions(versions)) >= 2, () -> "versions " + announced.size());
      for (ModelVersion v : announced) {
        ModelStore.Stored stored = store.version(MODEL, v.getVersion()); // verifies every digest
        assertEquals(stored.manifestSha256(), v.getManifestSha256());
        assertEquals(stored.location(store.root()), v.getLocation());
        assertEquals("half", v.getBetaConvention());
        assertTrue(stored.manifest().files().containsKey(StoredUNet.PARAMETERS));
      }
      assertEquals(List.of(0, 1, 2), announced.subList(0, 3).stream().map(ModelVersion::getVersion).toList());
      assertTrue(announced.get(1).getMetrics().containsKey("holdout_accuracy"), announced.get(1).getMetrics().toString());
      assertEquals(6.0, announced.get(1).getMetrics().get("holdout_pairs"));
      assertEquals(12L, announced.get(2).getStep());
      Manifest checkpoint = store.latestCheckpoint(MODEL).orElseThrow().manifest();
      int lastVersion = store.latestVersion(MODEL).orElseThrow();
      assertEquals(17, crashed.step());
      assertEquals(16, checkpoint.step(), "the last checkpoint before the crash");
      assertEquals(31L, checkpoint.offsets().values().stream().mapToLong(Long::longValue).sum(),
          "every record consumed before the checkpoint: " + checkpoint.offsets());

      // while the trainer is down, more pairs arrive
      sendPairs(producer, topics.clean(), images, 30, 10);

      try (TrainerService second = new TrainerService(trainerConfig, clients, store, images)) {
        second.start();
        assertTrue(second.awaitReady(WAIT));
        assertEquals(checkpoint.offsets(), second.resumedOffsets(), "resumed from the checkpoint's offsets");
        Await.until(WAIT, () -> lastAnnounced(readVersions(versions)) > lastVersion,
            () -> "a version after v" + lastVersion + ", status " + second.status());
        ModelVersion next = announced.get(announced.size() - 1);
        assertEquals(lastVersion + 1, next.getVersion(), "the next number, none reused");
        assertEquals(lastVersion, next.getParent());
        assertTrue(next.getStep() > checkpoint.step(), "training continued from the checkpoint's step");
        assertEquals(0, next.getStep() % 6, "versions stay on the step grid");
        Await.until(WAIT, () -> second.status().bufferSize() == 32, () -> "no pair skipped: " + second.status());
        assertEquals(8, second.status().holdoutSize());
        Timer stepTime = registry.find("prefstream.trainer.step.time").timer();
        assertTrue(stepTime != null && stepTime.count() >= 1, "step timer");
        Await.until(WAIT, () -> registry.find("prefstream.trainer.published.version").gauge().value() >= next.getVersion(),
            () -> "published version gauge");
        Await.until(WAIT, () -> registry.find("prefstream.trainer.buffer.size").gauge().value() == 32.0,
            () -> "buffer size gauge");
        double meanStepMillis = stepTime.mean(TimeUnit.MILLISECONDS);
        System.out.printf("trainer IT: first run %d steps in %.1f s including start-up, versions and checkpoints; "
            + "DPO step (4 pairs, 16x16, %d-parameter UNet) %.0f ms mean = %.1f steps/s; %s%n", crashed.step(), seconds,
            109_739, meanStepMillis, 1000 / meanStepMillis, crashed);
        Manifest after = store.version(MODEL, next.getVersion()).manifest();
        checkpoint.offsets().forEach((tp, offset) -> assertTrue(after.offsets().get(tp) >= offset, tp));
      }
      assertEquals(store.versions(MODEL).size(), store.versions(MODEL).stream().distinct().count());
      Manifest last = store.latestCheckpoint(MODEL).orElseThrow().manifest();
      assertEquals(41L, last.offsets().values().stream().mapToLong(Long::longValue).sum(),
          "the final checkpoint on close has consumed everything");
      Map<TopicPartition, Long> ends = dlq.endOffsets(dlq.assignment());
      Await.until(WAIT, () -> {
        readDeadLetters(dlq);
        return ends.entrySet().stream().allMatch(e -> dlq.position(e.getKey()) >= e.getValue());
      }, () -> "reading the dead letters");
      assertEquals(1, deadLetters.size(), "the restart re-read the bad record without dead-lettering it again");
    }
  }

  @Test
  void startsFromThePublishedBaseVersionAndStopsAtMaxStepsWithAFinalVersion() throws Exception {
    PrefstreamConfig config = config().with(Map.of("trainer.max-steps", "5", "trainer.steps-per-version", "100",
        "trainer.reference", "per-version:1"));
    Topics topics = KafkaBroker.freshTopics(config);
    TrainerConfig trainerConfig = TrainerConfig.from(config);
    ModelStore store = new ModelStore(trainerConfig.modelStoreRoot());
    ImageStore images = new ImageStore(trainerConfig.images());
    try (TrainingSession base = TrainingSession.open(trainerConfig, store)) {
      base.publishVersion(Map.of(), Map.of()); // v0, as a pretraining command would publish it
    }
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry());
        KafkaProducer<String, LabeledPair> producer = clients.producerFor("it-pairs", topics.clean());
        TrainerService trainer = new TrainerService(trainerConfig, clients, store, images)) {
      sendPairs(producer, topics.clean(), images, 0, 10);
      trainer.start();
      assertTrue(trainer.awaitTermination(WAIT), "stops by itself at max steps: " + trainer.status());
      assertEquals(TrainerStatus.State.FINISHED, trainer.status().state());
      assertTrue(trainer.isLive());
      Manifest v1 = store.version(MODEL, 1).manifest();
      assertEquals(5, v1.step());
      assertEquals(0, v1.parent());
      assertEquals(0, v1.referenceVersion(), "trained against the base; per-version:1 replaces the reference after v1");
      assertEquals(List.of(0, 1), store.versions(MODEL));
      assertEquals(5, store.latestCheckpoint(MODEL).orElseThrow().manifest().step());
      assertEquals(1, store.latestCheckpoint(MODEL).orElseThrow().manifest().referenceVersion());
    }
  }
}
