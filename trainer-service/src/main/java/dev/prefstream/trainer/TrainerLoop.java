package dev.prefstream.trainer;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.ModelVersion;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.train.DpoStepResult;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import dev.prefstream.trainer.TrainerStatus.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the trainer on its own thread: reads the feed topics from the beginning (the buffer is
 * rebuilt from the compacted feeds; training resumes only once the checkpoint's offsets are reached),
 * trains, checkpoints, evaluates and publishes versions (files first, then the {@code ModelVersion}
 * record), and reports progress. Owns the session, the clients and the buffer; everything is closed
 * by {@link #close()}.
 */
final class TrainerLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerLoop.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(200);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final TrainerConfig config;
  private final Topics topics;
  private final ModelStore store;
  private final Consumer<TrainerStatus> statusSink;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final TrainerMetrics metrics;
  private final TrainingSession session;
  private final KafkaProducer<String, ModelVersion> versions;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ReplayBuffer buffer;
  private final PairIngest ingest;
  private final Map<TopicPartition, Long> consumed = new HashMap<>();
  private final Map<TopicPartition, Long> rebuildTargets = new HashMap<>();
  private final TrainingWindow window = new TrainingWindow();
  private State state;
  private long pairsConsumed;
  private long pairsSinceProgress;
  private long progressAt;
  private double pairsPerSecond;
  private DpoStepResult last;
  /** Moving averages of the step loss and implicit accuracy, weight 1/20 on the newest step. */
  private double lossAverage = Double.NaN;
  private double accuracyAverage = Double.NaN;
  private double holdoutAccuracy = Double.NaN;

  TrainerLoop(TrainerConfig config, KafkaClients clients, ModelStore store, ImageStore images,
      Consumer<TrainerStatus> statusSink) {
    this.config = config;
    this.topics = clients.topics();
    this.store = store;
    this.statusSink = statusSink;
    try {
      metrics = keep(new TrainerMetrics(clients.registry(), config.model()));
      session = keep(TrainingSession.open(config, store));
      String clientId = "prefstream-trainer-" + config.model();
      versions = keep(clients.producerFor(clientId + "-versions", topics.modelVersions()));
      KafkaProducer<byte[], DeadLetter> deadLetterProducer = keep(clients.producerFor(clientId + "-dlq", topics.dlq()));
      consumer = keep(clients.rawConsumer(null, clientId, Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 256)));
      buffer = new ReplayBuffer(config.bufferCapacity(), config.holdoutCapacity());
      Map<Feed, Topic<String, LabeledPair>> feeds = new EnumMap<>(Feed.class);
      config.feeds().forEach(f -> feeds.put(f, f.topic(topics)));
      ingest = new PairIngest(feeds, config, session.bands(), images, session.imageSize(), buffer,
          new DeadLetters(topics.dlq(), "trainer", clients.registry()), deadLetterProducer, metrics);
      assignFromBeginning(feeds.values());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private <C extends AutoCloseable> C keep(C resource) {
    resources.add(resource);
    return resource;
  }

  private void assignFromBeginning(Iterable<Topic<String, LabeledPair>> feeds) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic<String, LabeledPair> feed : feeds) {
      consumer.partitionsFor(feed.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    partitions.forEach(tp -> consumed.put(tp, 0L));
    session.resumedOffsets().forEach((key, offset) -> rebuildTargets.put(parse(key), offset));
    LOG.info("trainer reads {} partitions of {} from the beginning{}", partitions.size(), config.feeds(),
        rebuildTargets.isEmpty() ? "" : ", rebuilding the buffer up to the checkpoint's offsets");
  }

  /** The checkpoint offsets this run resumed from ({@code topic-partition} to next offset). */
  Map<String, Long> resumedOffsets() {
    return session.resumedOffsets();
  }

  /** Runs until {@code running} turns false, a wakeup, or {@code trainer.max-steps}. */
  void run(AtomicBoolean running) {
    if (session.origin() == TrainingSession.Origin.FRESH) {
      announce(session.publishVersion(Map.of(), offsets()));
    }
    metrics.published(session.lastVersion(), null);
    state = rebuildTargets.isEmpty() ? State.WAITING_FOR_PAIRS : State.REBUILDING;
    if (config.maxSteps() > 0 && session.step() >= config.maxSteps()) {
      LOG.info("step {} has reached trainer.max-steps = {}: nothing to train", session.step(), config.maxSteps());
      state = State.FINISHED;
    }
    progressAt = System.nanoTime();
    try {
      while (running.get() && state != State.FINISHED) {
        boolean training = state == State.TRAINING && buffer.size() > 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(training ? Duration.ZERO : IDLE_POLL)) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          ingest.accept(record, record.offset() < rebuildTargets.getOrDefault(tp, 0L));
          consumed.put(tp, record.offset() + 1);
          pairsConsumed++;
        }
        advanceState();
        if (state == State.TRAINING && buffer.size() > 0) {
          trainStep();
        }
        metrics.buffer(buffer.size(), buffer.holdoutSize());
        progress();
        statusSink.accept(status());
      }
    } catch (WakeupException e) {
      LOG.debug("trainer woken up for shutdown");
    }
  }

  private void advanceState() {
    if (state == State.REBUILDING && rebuilt()) {
      LOG.info("buffer rebuilt up to the checkpoint's offsets: {} pairs, {} held out", buffer.size(),
          buffer.holdoutSize());
      state = State.WAITING_FOR_PAIRS;
    }
    if (state == State.WAITING_FOR_PAIRS && buffer.size() >= config.minBuffer()) {
      LOG.info("training from step {} with {} pairs in the buffer", session.step(), buffer.size());
      state = State.TRAINING;
    }
  }

  private boolean rebuilt() {
    for (Map.Entry<TopicPartition, Long> target : rebuildTargets.entrySet()) {
      Long reached = consumed.get(target.getKey());
      boolean caughtUp = reached == null || consumer.currentLag(target.getKey()).orElse(-1) == 0;
      if (!caughtUp && reached < target.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void trainStep() {
    DpoStepResult result = session.step(buffer);
    metrics.stepped(result);
    if (result.pairs() == 0) {
      return;
    }
    last = result;
    lossAverage = average(lossAverage, result.loss());
    accuracyAverage = average(accuracyAverage, result.implicitAccuracy());
    window.add(result);
    pairsSinceProgress += result.pairs();
    long step = result.step();
    boolean finished = config.maxSteps() > 0 && step >= config.maxSteps();
    if (step % config.stepsPerVersion() == 0 || finished) {
      publishVersion();
    } else if (step % config.checkpointEvery() == 0) {
      session.checkpoint(offsets());
    }
    if (finished) {
      LOG.info("reached trainer.max-steps = {}", config.maxSteps());
      state = State.FINISHED;
    }
  }

  private void publishVersion() {
    long start = System.nanoTime();
    Map<String, Double> m = new TreeMap<>(session.evaluate(buffer.holdout()));
    m.putAll(window.drain());
    m.put("buffer_size", (double) buffer.size());
    Map<String, Long> offsets = offsets();
    ModelStore.Stored stored = session.publishVersion(m, offsets);
    announce(stored);
    session.checkpoint(offsets);
    metrics.published(stored.manifest().version(), m.get("holdout_accuracy"));
    holdoutAccuracy = m.getOrDefault("holdout_accuracy", Double.NaN);
    LOG.info("published {} v{} at step {} in {} ms: holdout accuracy {} (n={}), reward margin {}, train loss {}",
        config.model(), stored.manifest().version(), stored.manifest().step(), (System.nanoTime() - start) / 1_000_000,
        format(m.get("holdout_accuracy")), format(m.get("holdout_pairs")), format(m.get("holdout_reward_margin")),
        format(m.get("train_loss")));
  }

  /** Writes the {@code ModelVersion} record once the version's files are durable, and waits for the ack. */
  private void announce(ModelStore.Stored stored) {
    var m = stored.manifest();
    ModelVersion record = ModelVersion.newBuilder()
        .setModel(m.model())
        .setVersion(m.version())
        .setParent(m.parent())
        .setReferenceVersion(m.referenceVersion())
        .setLocation(stored.location(store.root()))
        .setManifestSha256(stored.manifestSha256())
        .setBeta(m.beta())
        .setBetaConvention(m.betaConvention())
        .setStep(m.step())
        .setMetrics(new HashMap<>(m.metrics()))
        .setCreatedAt(Instant.ofEpochMilli(m.createdAt()))
        .build();
    try {
      versions.send(new ProducerRecord<>(topics.modelVersions().name(), m.model(), record))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while announcing v" + m.version(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("v" + m.version() + " is in the store but could not be announced", e);
    }
  }

  /** Saves a checkpoint if the policy moved since the last one (a graceful stop). */
  void checkpointOnExit() {
    if (state != null && state != State.REBUILDING && session.step() > session.lastCheckpointStep()) {
      session.checkpoint(offsets());
      LOG.info("checkpoint at step {} on shutdown", session.step());
    }
  }

  private Map<String, Long> offsets() {
    Map<String, Long> out = new TreeMap<>();
    consumed.forEach((tp, offset) -> out.put(tp.toString(), offset));
    return out;
  }

  /** {@code topic-partition} as written by {@link TopicPartition#toString()}. */
  static TopicPartition parse(String key) {
    int dash = key.lastIndexOf('-');
    if (dash <= 0) {
      throw new IllegalArgumentException("not a topic-partition: " + key);
    }
    return new TopicPartition(key.substring(0, dash), Integer.parseInt(key.substring(dash + 1)));
  }

  private void progress() {
    long now = System.nanoTime();
    double seconds = (now - progressAt) / 1e9;
    if (seconds * 1000 < config.progressInterval().toMillis()) {
      return;
    }
    pairsPerSecond = pairsSinceProgress / seconds;
    pairsSinceProgress = 0;
    progressAt = now;
    long lag = 0;
    for (TopicPartition tp : consumer.assignment()) {
      lag += Math.max(0, consumer.currentLag(tp).orElse(0));
    }
    metrics.progress(pairsPerSecond, lag);
    LOG.info("trainer {} step {} loss {} acc {} buffer {} (+{} held out) version v{} pairs/s {} lag {}",
        state.name().toLowerCase(Locale.ROOT), session.step(), format(last == null ? null : last.loss()),
        format(last == null ? null : last.implicitAccuracy()), buffer.size(), buffer.holdoutSize(),
        session.lastVersion(), format(pairsPerSecond), lag);
  }

  TrainerStatus status() {
    return new TrainerStatus(state == null ? State.STARTING : state, session.step(), lossAverage, accuracyAverage,
        session.lastVersion(), holdoutAccuracy, buffer.size(), buffer.holdoutSize(), pairsConsumed, pairsPerSecond);
  }

  private static double average(double average, double value) {
    if (!Double.isFinite(value)) {
      return average;
    }
    return Double.isNaN(average) ? value : average + (value - average) / 20;
  }

  private static String format(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
  }

  void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", resources.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    resources.clear();
  }

  /** Mean training loss, implicit accuracy and reward margin of the steps since the last version. */
  private static final class TrainingWindow {
    private double loss;
    private double accuracy;
    private double margin;
    private int steps;

    void add(DpoStepResult r) {
      loss += r.loss();
      accuracy += r.implicitAccuracy();
      margin += r.rewardMargin();
      steps++;
    }

    Map<String, Double> drain() {
      Map<String, Double> m = steps == 0 ? Map.of() : Map.of("train_loss", loss / steps,
          "train_accuracy", accuracy / steps, "train_reward_margin", margin / steps, "train_steps", (double) steps);
      loss = accuracy = margin = 0;
      steps = 0;
      return m;
    }
  }
}
