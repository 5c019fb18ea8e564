package dev.prefstream.trainer.relabel;

import dev.prefstream.avro.AnchorLabel;
import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.ModelVersion;
import dev.prefstream.avro.PseudoLabel;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.Side;
import dev.prefstream.core.image.ImageException;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.kafka.Decoded;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.core.service.Heartbeat;
import dev.prefstream.core.service.Service;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.diffusion.train.BetaConvention;
import dev.prefstream.diffusion.train.DpoErrors;
import dev.prefstream.trainer.TrainerConfig;
import dev.prefstream.diffusion.train.ImplicitClassifier;
import dev.prefstream.diffusion.train.PreferencePair;
import dev.prefstream.schemas.SimulatorAttributes;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Semi-DPO relabeler (METHOD.md section 3). It keeps the newest conflicting pairs and a sample
 * of held-out clean pairs in memory (both topics are compacted, so its state is rebuilt by reading
 * them from the start), and on every K-th new model version runs a round: the version's policy and
 * its reference form an implicit classifier, z is computed at the anchor timesteps with one noise
 * draw per pair shared by both images and all anchors, per-anchor thresholds are set from the |z|
 * distribution, and confident labels are published on {@code prefs.pseudo-labels}. Conflicting
 * pairs that arrive between rounds are scored with the current version and labelled against the
 * moving thresholds. Precision is measured on the held-out clean pairs (against their human labels)
 * and, where a pair carries the simulator's truth, against the true preference.
 */
public final class Relabeler implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(Relabeler.class);

  private final RelabelerConfig config;
  private final KafkaClients clients;
  private final Topics topics;
  private final ModelStore models;
  private final ImageStore images;
  private final DeadLetters deadLetters;
  private final MeterRegistry registry;
  private final Map<String, PoolPair> conflicting = new LinkedHashMap<>();
  private final Map<String, PoolPair> holdout = new LinkedHashMap<>();
  private final List<PoolPair> arrivals = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final Heartbeat heartbeat = new Heartbeat();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final AtomicLong lastRoundVersion = new AtomicLong(-1);
  private final AtomicLong labelsPublished = new AtomicLong();
  private final Gauges gauges = new Gauges();
  private volatile boolean failed;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  private Classifier current;
  private PseudoLabeler labeler;
  private int pendingVersion = -1;
  private int round;

  /** One pair with its images, oriented by the human label. */
  record PoolPair(LabeledPair pair, RgbImage winner, RgbImage loser, boolean humanPrefersA) {
    PreferencePair preference() {
      return new PreferencePair(winner, loser, pair.getPrompt());
    }
  }

  /** The loaded classifier of one version. */
  private record Classifier(int version, int referenceVersion, double beta, String convention,
      UNetDenoiser policy, UNetDenoiser reference, ImplicitClassifier classifier) implements AutoCloseable {
    @Override
    public void close() {
      policy.close();
      reference.close();
    }
  }

  /** Live values for gauges. */
  static final class Gauges {
    volatile double holdoutPrecision = Double.NaN;
    volatile double truthPrecision = Double.NaN;
    volatile double version = -1;
    volatile double poolSize;
  }

  /** The relabeler with the stores its config names; the launcher's factory. */
  public static Relabeler create(dev.prefstream.core.config.PrefstreamConfig config, KafkaClients clients) {
    RelabelerConfig c = RelabelerConfig.from(config);
    return new Relabeler(c, clients, new ModelStore(c.modelStore()), new ImageStore(c.images()));
  }

  public Relabeler(RelabelerConfig config, KafkaClients clients, ModelStore models, ImageStore images) {
    this.config = config;
    this.clients = clients;
    this.topics = clients.topics();
    this.models = models;
    this.images = images;
    this.registry = clients.registry();
    this.deadLetters = new DeadLetters(topics.dlq(), "relabeler", registry);
    registry.gauge("prefstream.relabeler.precision", Tags.of("against", "holdout"), gauges, g -> g.holdoutPrecision);
    registry.gauge("prefstream.relabeler.precision", Tags.of("against", "truth"), gauges, g -> g.truthPrecision);
    registry.gauge("prefstream.relabeler.model.version", Tags.empty(), gauges, g -> g.version);
    registry.gauge("prefstream.relabeler.pool.size", Tags.empty(), gauges, g -> g.poolSize);
  }

  @Override
  public String name() {
    return "relabeler";
  }

  @Override
  public void start() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    thread = new Thread(this::run, "relabeler");
    thread.start();
  }

  @Override
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && !failed;
  }

  @Override
  public boolean isReady() {
    return ready.getCount() == 0 && !failed && running.get();
  }

  @Override
  public boolean isLive() {
    return !failed;
  }

  /** Silent time of the relabeler's loop (one round per poll, and per batch scored in a round). */
  @Override
  public Duration stalledFor() {
    return heartbeat.silentFor();
  }

  /** Pseudo-labels published since start. */
  public long labelsPublished() {
    return labelsPublished.get();
  }

  /** The version of the last completed round, or -1. */
  public long lastRoundVersion() {
    return lastRoundVersion.get();
  }

  public double holdoutPrecision() {
    return gauges.holdoutPrecision;
  }

  public double truthPrecision() {
    return gauges.truthPrecision;
  }

  private void run() {
    try (KafkaConsumer<byte[], byte[]> c = clients.rawConsumer(null, "relabeler-reader", Map.of());
        KafkaProducer<String, PseudoLabel> producer = clients.producerFor("relabeler", topics.pseudoLabels());
        KafkaProducer<byte[], DeadLetter> dlq = clients.producerFor("relabeler-dlq", topics.dlq())) {
      consumer = c;
      List<TopicPartition> parts = new ArrayList<>();
      for (Topic<?, ?> t : List.of(topics.conflicting(), topics.clean(), topics.modelVersions())) {
        for (PartitionInfo p : c.partitionsFor(t.name())) {
          parts.add(new TopicPartition(p.topic(), p.partition()));
        }
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      ready.countDown();
      while (running.get()) {
        heartbeat.beat();
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          accept(r, dlq);
        }
        if (pendingVersion > lastRoundVersion.get()
            && (lastRoundVersion.get() < 0 || pendingVersion - lastRoundVersion.get() >= config.everyVersions())) {
          runRound(pendingVersion, producer);
        } else if (!arrivals.isEmpty() && labeler != null) {
          labelArrivals(producer);
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      failed = true;
      LOG.error("relabeler failed", e);
    } finally {
      heartbeat.stop();
      if (current != null) {
        current.close();
        current = null;
      }
      ready.countDown();
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> r, KafkaProducer<byte[], DeadLetter> dlq) {
    String topic = r.topic();
    if (topic.equals(topics.modelVersions().name())) {
      Decoded<String, ModelVersion> d = Decoded.decode(r, topics.modelVersions(), deadLetters);
      if (!d.ok()) {
        deadLetters.send(dlq, d.deadLetter());
      } else if (d.value().getModel().equals(config.model()) && d.value().getVersion() > 0) {
        pendingVersion = Math.max(pendingVersion, d.value().getVersion());
      }
      return;
    }
    boolean isConflicting = topic.equals(topics.conflicting().name());
    Map<String, PoolPair> pool = isConflicting ? conflicting : holdout;
    if (r.value() == null) {
      pool.remove(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
      return;
    }
    Decoded<String, LabeledPair> d = Decoded.decode(r, isConflicting ? topics.conflicting() : topics.clean(), deadLetters);
    if (!d.ok()) {
      deadLetters.send(dlq, d.deadLetter());
      return;
    }
    LabeledPair p = d.value();
    if (isConflicting ? p.getRoute() != Route.CONFLICTING || p.getHoldout() : !p.getHoldout()) {
      return;
    }
    PoolPair entry;
    try {
      entry = load(p);
    } catch (ImageException e) {
      deadLetters.send(dlq, deadLetters.of(r, e.reason().code(), e.getMessage()));
      return;
    }
    pool.remove(p.getPairId());
    pool.put(p.getPairId(), entry);
    trim(pool, isConflicting ? config.maxPairs() : config.maxHoldout());
    if (isConflicting && labeler != null) {
      arrivals.add(entry);
    }
    gauges.poolSize = conflicting.size();
  }

  private PoolPair load(LabeledPair p) throws ImageException {
    RgbImage a = images.load(p.getImageA());
    RgbImage b = images.load(p.getImageB());
    Side human = p.getHumanLabel() == Side.ABSTAIN ? p.getWinner() : p.getHumanLabel();
    boolean prefersA = human != Side.B;
    return prefersA ? new PoolPair(p, a, b, true) : new PoolPair(p, b, a, false);
  }

  private static void trim(Map<String, PoolPair> pool, int max) {
    var it = pool.keySet().iterator();
    while (pool.size() > max && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  private void runRound(int version, KafkaProducer<String, PseudoLabel> producer) {
    Timer.Sample timer = Timer.start(registry);
    Classifier next = loadClassifier(version);
    if (next == null) {
      lastRoundVersion.set(version);
      return;
    }
    if (current != null) {
      current.close();
    }
    current = next;
    round++;
    List<PoolPair> pool = new ArrayList<>(conflicting.values());
    List<PoolPair> held = new ArrayList<>(holdout.values());
    double[][] holdZ = score(held);
    double[][] poolZ = score(pool);
    labeler = PseudoLabeler.round(config, holdZ, poolZ);
    arrivals.clear();
    int published = publish(pool, poolZ, producer);
    gauges.holdoutPrecision = labeler.holdoutPrecision(holdZ);
    gauges.version = version;
    lastRoundVersion.set(version);
    long nanos = timer.stop(Timer.builder("prefstream.relabeler.round").description("one relabelling round")
        .register(registry));
    Counter.builder("prefstream.relabeler.rounds").register(registry).increment();
    LOG.info("relabel round {} with v{} (ref v{}): {} conflicting pairs scored, {} pseudo-labelled, "
            + "held-out precision {} over {} pairs, truth precision {} in {} ms; thresholds {}",
        round, version, current.referenceVersion(), pool.size(), published, fmt(gauges.holdoutPrecision), held.size(),
        fmt(gauges.truthPrecision), nanos / 1_000_000, labeler.rules());
  }

  private void labelArrivals(KafkaProducer<String, PseudoLabel> producer) {
    List<PoolPair> batch = new ArrayList<>(arrivals.subList(0, Math.min(arrivals.size(), config.batchPairs())));
    arrivals.subList(0, batch.size()).clear();
    double[][] z = score(batch);
    for (double[] row : z) {
      labeler.observe(row);
    }
    publish(batch, z, producer);
  }

  private Classifier loadClassifier(int version) {
    try {
      ModelStore.Stored stored = models.version(config.model(), version);
      Manifest m = stored.manifest();
      UNetDenoiser policy = StoredUNet.load(stored);
      UNetDenoiser reference;
      try {
        reference = StoredUNet.loadReference(models, stored);
      } catch (RuntimeException e) {
        policy.close();
        throw e;
      }
      // manifests from before the setting existed were trained on noise errors
      ImplicitClassifier classifier = new ImplicitClassifier(policy, reference, NoiseSchedule.ddpm(), m.beta(),
          BetaConvention.fromConfigName(m.betaConvention()),
          DpoErrors.fromConfigName(m.config().getOrDefault(TrainerConfig.DPO_ERRORS, "noise")));
      return new Classifier(version, m.referenceVersion(), m.beta(), m.betaConvention(), policy, reference, classifier);
    } catch (RuntimeException e) {
      LOG.error("cannot load {} v{} for relabelling: {}", config.model(), version, e.getMessage());
      return null;
    }
  }

  /** z per pair and anchor, oriented by the human label, in batches. */
  private double[][] score(List<PoolPair> pairs) {
    double[][] out = new double[pairs.size()][];
    int[] anchors = config.anchorArray();
    for (int from = 0; from < pairs.size(); from += config.batchPairs()) {
      List<PoolPair> batch = pairs.subList(from, Math.min(pairs.size(), from + config.batchPairs()));
      long[] seeds = batch.stream().mapToLong(p -> config.seed() * 31 + p.pair().getPairId().hashCode()).toArray();
      double[][] z = current.classifier().pairwiseZ(batch.stream().map(PoolPair::preference).toList(), anchors, seeds);
      System.arraycopy(z, 0, out, from, z.length);
      heartbeat.beat();
    }
    Counter.builder("prefstream.relabeler.pairs.scored").register(registry).increment(pairs.size());
    return out;
  }

  private int publish(List<PoolPair> pairs, double[][] z, KafkaProducer<String, PseudoLabel> producer) {
    int published = 0;
    long truthAgree = 0;
    long truthConfident = 0;
    int[] anchors = config.anchorArray();
    for (int i = 0; i < pairs.size(); i++) {
      int[] signs = labeler.signs(z[i]);
      List<AnchorLabel> labels = new ArrayList<>(anchors.length);
      boolean any = false;
      for (int k = 0; k < anchors.length; k++) {
        labels.add(AnchorLabel.newBuilder().setTimestep(anchors[k]).setZ(z[i][k]).setThreshold(labeler.threshold(k))
            .setSign(signs[k]).build());
        any |= signs[k] != 0;
      }
      if (!any) {
        continue;
      }
      PoolPair p = pairs.get(i);
      String truth = p.pair().getAttributes().get(SimulatorAttributes.TRUE_PREFERENCE_A);
      if (truth != null) {
        double pA = Double.parseDouble(truth);
        if (pA != 0.5) {
          for (int s : signs) {
            if (s != 0) {
              boolean saysA = (s > 0) == p.humanPrefersA();
              truthConfident++;
              truthAgree += saysA == (pA > 0.5) ? 1 : 0;
            }
          }
        }
      }
      PseudoLabel label = PseudoLabel.newBuilder()
          .setPairId(p.pair().getPairId())
          .setModelName(config.model())
          .setModelVersion(current.version())
          .setReferenceVersion(current.referenceVersion())
          .setRound(round)
          .setBeta(current.beta())
          .setBetaConvention(current.convention())
          .setAnchors(labels)
          .setCreatedAt(Instant.now())
          .build();
      producer.send(new ProducerRecord<>(topics.pseudoLabels().name(), label.getPairId(), label));
      published++;
    }
    producer.flush();
    if (truthConfident > 0) {
      gauges.truthPrecision = (double) truthAgree / truthConfident;
    }
    labelsPublished.addAndGet(published);
    Counter.builder("prefstream.relabeler.pseudo.labels").register(registry).increment(published);
    return published;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", v);
  }

  @Override
  public void close() {
    if (!running.getAndSet(false)) {
      return;
    }
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      if (thread != null) {
        thread.join(30_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
