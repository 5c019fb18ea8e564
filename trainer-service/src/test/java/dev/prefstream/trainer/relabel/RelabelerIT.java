package dev.prefstream.trainer.relabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.AnchorLabel;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.LabelSource;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.ModelVersion;
import dev.prefstream.avro.PseudoLabel;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.Side;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.core.testing.Await;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.diffusion.model.UNetConfig;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.diffusion.train.DpoConfig;
import dev.prefstream.diffusion.train.DpoTrainer;
import dev.prefstream.diffusion.train.PreferencePair;
import dev.prefstream.schemas.PairIds;
import dev.prefstream.schemas.SimulatorAttributes;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version trained to prefer red squares relabels conflicting pairs whose human label preferred
 * blue: its confident pseudo-labels flip them, and its held-out precision is measured.
 */
@ExtendWith(KafkaBroker.class)
class RelabelerIT {
  private static final int SIZE = 16;
  private static final String PROMPT = "a square";

  @TempDir
  Path dir;

  @Test
  void aVersionThatLearnedRedFlipsConflictingBlueLabels() throws Exception {
    PrefstreamConfig config = KafkaBroker.freshConfig(2)
        .with(Map.of("models.root", dir.resolve("models").toString(), "images.roots", dir.resolve("images").toString(),
            "relabel.max-holdout", "40", "relabel.min-holdout", "10"));
    Topics topics = KafkaBroker.freshTopics(config);
    ModelStore models = new ModelStore(dir.resolve("models"));
    ImageStore images = new ImageStore(ImageStore.Settings.of(dir.resolve("images")));
    Random random = new Random(3);
    publishRedPreferringVersions(models, random);

    List<LabeledPair> conflicting = new ArrayList<>();
    List<LabeledPair> holdout = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      conflicting.add(pair(images, random, Side.B, Route.CONFLICTING, false)); // human chose the blue image B
      holdout.add(pair(images, random, Side.A, Route.CLEAN, true)); // human chose the red image A
    }
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry())) {
      try (KafkaProducer<String, LabeledPair> p = clients.producerFor("it", topics.conflicting())) {
        conflicting.forEach(l -> p.send(new ProducerRecord<>(topics.conflicting().name(), l.getPairId(), l)));
        holdout.forEach(l -> p.send(new ProducerRecord<>(topics.clean().name(), l.getPairId(), l)));
      }
      try (KafkaProducer<String, ModelVersion> p = clients.producerFor("it-v", topics.modelVersions())) {
        p.send(new ProducerRecord<>(topics.modelVersions().name(), "unet", version(1))).get();
      }

      Relabeler relabeler = new Relabeler(RelabelerConfig.from(config), clients, models, images);
      try (relabeler) {
        relabeler.start();
        assertTrue(relabeler.awaitReady(Duration.ofSeconds(30)));
        Await.until(Duration.ofSeconds(120), () -> relabeler.lastRoundVersion() == 1 || !relabeler.isLive(),
            () -> "round on v1");
        assertTrue(relabeler.isLive());
      }

      Map<String, PseudoLabel> labels = new HashMap<>();
      try (KafkaConsumer<String, PseudoLabel> c = clients.consumer("it-read", "it-read",
          topics.pseudoLabels().keySerde().deserializer(), topics.pseudoLabels().valueSerde().deserializer())) {
        c.subscribe(List.of(topics.pseudoLabels().name()));
        Await.until(Duration.ofSeconds(30), () -> {
          c.poll(Duration.ofMillis(200)).forEach(r -> labels.put(r.key(), r.value()));
          return labels.size() >= relabeler.labelsPublished() && !labels.isEmpty();
        }, () -> labels.size() + " pseudo-labels read");
      }
      int flip = 0;
      int keep = 0;
      for (PseudoLabel l : labels.values()) {
        assertEquals(1, l.getModelVersion());
        assertEquals(0, l.getReferenceVersion());
        assertEquals(10, l.getAnchors().size());
        for (AnchorLabel a : l.getAnchors()) {
          assertTrue(a.getSign() == 0 || Math.abs(a.getZ()) > a.getThreshold(), "a label only above its threshold");
          flip += a.getSign() < 0 ? 1 : 0;
          keep += a.getSign() > 0 ? 1 : 0;
        }
      }
      System.out.printf("relabeler IT: %d pairs labelled, %d flip / %d keep anchor labels, held-out precision %.3f, "
          + "truth precision %.3f%n", labels.size(), flip, keep, relabeler.holdoutPrecision(), relabeler.truthPrecision());
      assertTrue(flip > 3 * keep, "the red-preferring model flips the blue labels: " + flip + " vs " + keep);
      assertTrue(relabeler.holdoutPrecision() > 0.7, "held-out precision " + relabeler.holdoutPrecision());
      assertTrue(relabeler.truthPrecision() > 0.7, "truth precision " + relabeler.truthPrecision());
    }
  }

  private static void publishRedPreferringVersions(ModelStore models, Random random) throws Exception {
    UNetConfig config = new UNetConfig(SIZE, 8, 4, 8, List.of("a", "square"), 4);
    NoiseSchedule schedule = NoiseSchedule.ddpm();
    try (UNetDenoiser base = UNetDenoiser.create(config, 1); UNetDenoiser policy = base.copy()) {
      models.publishVersion(manifest(config, 0, 0), d -> StoredUNet.writeParameters(base, d));
      try (DpoTrainer trainer = new DpoTrainer(policy, base, schedule,
          DpoConfig.defaults().withLearningRate(1e-3f, 0).withCaptionDropout(0), 5)) {
        for (int step = 0; step < 40; step++) {
          List<PreferencePair> pairs = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            pairs.add(new PreferencePair(square(random, true), square(random, false), PROMPT));
          }
          trainer.step(pairs);
        }
      }
      models.publishVersion(manifest(config, 1, 40), d -> StoredUNet.writeParameters(policy, d));
    }
  }

  private static Manifest manifest(UNetConfig config, int version, long step) {
    return new Manifest("unet", Manifest.VERSION, version, version == 0 ? null : version - 1, 0, step, 5000, "half",
        StoredUNet.configEntries(config), Map.of(), Map.of(), Map.of(), 0);
  }

  private static ModelVersion version(int v) {
    return ModelVersion.newBuilder().setModel("unet").setVersion(v).setParent(v - 1).setReferenceVersion(0)
        .setLocation("unet/v" + v).setManifestSha256("-").setBeta(5000).setBetaConvention("half").setStep(40)
        .setMetrics(Map.of()).setCreatedAt(Instant.now()).build();
  }

  /** A red square as A, a blue one as B; the human label as given; truth: red is better. */
  private static LabeledPair pair(ImageStore images, Random random, Side human, Route route, boolean holdout) {
    ImageRef a = images.put(square(random, true));
    ImageRef b = images.put(square(random, false));
    return LabeledPair.newBuilder()
        .setPairId(PairIds.pairId(PROMPT, a.getSha256(), b.getSha256()))
        .setPrompt(PROMPT).setImageA(a).setImageB(b)
        .setWinner(human).setHumanLabel(human).setMajorityLabel(human == Side.A ? Side.B : Side.A)
        .setSource(LabelSource.HUMAN).setRoute(route).setHoldout(holdout).setAgreement(0)
        .setLabeledAt(Instant.now()).setAttributes(Map.of(SimulatorAttributes.TRUE_PREFERENCE_A, "0.9"))
        .build();
  }

  /** A square of random size and place, red or blue, on grey. */
  static RgbImage square(Random random, boolean red) {
    RgbImage img = RgbImage.blank(SIZE, SIZE);
    int side = 5 + random.nextInt(5);
    int x0 = random.nextInt(SIZE - side);
    int y0 = random.nextInt(SIZE - side);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        boolean in = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
        img.set(0, y, x, in ? (red ? 0.9f : 0.1f) : 0.5f);
        img.set(1, y, x, in ? 0.1f : 0.5f);
        img.set(2, y, x, in ? (red ? 0.1f : 0.9f) : 0.5f);
      }
    }
    return img;
  }
}
