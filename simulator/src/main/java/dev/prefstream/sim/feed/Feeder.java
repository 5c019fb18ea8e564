package dev.prefstream.sim.feed;

import dev.prefstream.avro.ModelVersion;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.model.ModelIntegrityException;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.core.service.Heartbeat;
import dev.prefstream.core.service.Service;
import dev.prefstream.schemas.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated vote source: a {@link PairGenerator} on its own thread producing {@link PreferenceVote}s
 * on the votes topic at {@link FeederConfig#rate()} pairs per second, and switching to each newer model
 * version announced on the model-versions topic (read by the same thread between batches; the wait
 * for the next batch is a poll of that topic). Stops by itself after {@link FeederConfig#maxPairs()}.
 *
 * <p>Metrics: {@code prefstream.feeder.votes} and {@code prefstream.feeder.pairs} (produced),
 * {@code prefstream.feeder.sampling} (time per sampling batch), {@code prefstream.feeder.label.noise}
 * (share of votes disagreeing with the population's true preference), {@code
 * prefstream.feeder.model.version}.
 */
public final class Feeder implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(Feeder.class);

  private enum State { CREATED, STARTING, RUNNING, FINISHED, FAILED, CLOSED }

  private final FeederConfig config;
  private final KafkaClients clients;
  private final ModelStore models;
  private final ImageStore images;
  private final Clock clock;
  private final Heartbeat heartbeat = new Heartbeat();
  private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Counter votes;
  private final Counter pairs;
  private final Counter disagreeing;
  private final Timer sampling;
  private final AtomicLong version = new AtomicLong(-1);
  private volatile KafkaConsumer<String, ModelVersion> versions;
  private volatile boolean running;
  private Thread thread;

  /** The caller owns {@code clients} and the stores; metrics go to the clients' registry. */
  public Feeder(FeederConfig config, KafkaClients clients, ModelStore models, ImageStore images, Clock clock) {
    this.config = config;
    this.clients = clients;
    this.models = models;
    this.images = images;
    this.clock = clock;
    MeterRegistry registry = clients.registry();
    votes = Counter.builder("prefstream.feeder.votes").description("simulated votes produced").register(registry);
    pairs = Counter.builder("prefstream.feeder.pairs").description("pairs generated and voted on").register(registry);
    disagreeing = Counter.builder("prefstream.feeder.votes.disagreeing")
        .description("votes picking the side the population does not prefer").register(registry);
    sampling = Timer.builder("prefstream.feeder.sampling").description("time to sample one batch of pairs")
        .register(registry);
    Gauge.builder("prefstream.feeder.label.noise", this, Feeder::labelNoise)
        .description("share of votes disagreeing with the true preference").register(registry);
    Gauge.builder("prefstream.feeder.model.version", version, AtomicLong::get)
        .description("the model version pairs are sampled with").register(registry);
  }

  @Override
  public String name() {
    return "feeder";
  }

  @Override
  public void start() {
    if (!state.compareAndSet(State.CREATED, State.STARTING)) {
      throw new IllegalStateException("the feeder was already started");
    }
    running = true;
    thread = new Thread(this::run, "prefstream-feeder");
    thread.start();
  }

  @Override
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && isReady();
  }

  /** Ready while producing votes. */
  @Override
  public boolean isReady() {
    return state.get() == State.RUNNING;
  }

  /** Live unless the loop failed. */
  @Override
  public boolean isLive() {
    return state.get() != State.FAILED;
  }

  /** Silent time of the feeder's loop (one round per batch sampled, and per poll while waiting). */
  @Override
  public Duration stalledFor() {
    return heartbeat.silentFor();
  }

  /** Waits until the loop has ended (max pairs reached, failure or close); true if it did in time. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Votes produced so far. */
  public long votesProduced() {
    return (long) votes.count();
  }

  /** Share of produced votes that disagree with the population's true preference. */
  public double labelNoise() {
    double n = votes.count();
    return n == 0 ? 0 : disagreeing.count() / n;
  }

  private void run() {
    Topic<String, PreferenceVote> votesTopic = clients.topics().votes();
    Topic<String, ModelVersion> versionTopic = clients.topics().modelVersions();
    try (PairGenerator generator = new PairGenerator(config, models, images, clock);
        KafkaProducer<String, PreferenceVote> producer = clients.producerFor("prefstream-feeder", votesTopic);
        KafkaConsumer<String, ModelVersion> consumer = clients.consumer(null, "prefstream-feeder-versions",
            versionTopic.keySerde().deserializer(), versionTopic.valueSerde().deserializer())) {
      versions = consumer;
      List<TopicPartition> partitions = consumer.partitionsFor(versionTopic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      version.set(generator.modelVersion());
      state.compareAndSet(State.STARTING, State.RUNNING);
      ready.countDown();
      LOG.info("feeder producing {} votes per pair at {} pairs/s with {} v{}", config.votesPerPair(), config.rate(),
          config.model(), generator.modelVersion());
      AtomicReference<Exception> sendFailure = new AtomicReference<>();
      long produced = 0;
      long startNanos = System.nanoTime();
      while (running && (config.maxPairs() == 0 || produced < config.maxPairs())) {
        heartbeat.beat();
        pollVersions(consumer, generator, untilDue(startNanos, produced));
        int prompts = config.promptsFor(config.maxPairs() == 0 ? config.batchPairs()
            : Math.min(config.batchPairs(), config.maxPairs() - produced));
        long t0 = System.nanoTime();
        List<GeneratedPair> generated = generator.generate(prompts);
        sampling.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        for (GeneratedPair pair : generated) {
          for (PreferenceVote v : pair.votes()) {
            producer.send(new ProducerRecord<>(votesTopic.name(), pair.pairId(), v), (md, e) -> {
              if (e != null) {
                sendFailure.compareAndSet(null, e);
              }
            });
          }
        }
        producer.flush();
        if (sendFailure.get() != null) {
          throw new IllegalStateException("could not produce votes", sendFailure.get());
        }
        for (GeneratedPair pair : generated) {
          pairs.increment();
          votes.increment(pair.votes().size());
          disagreeing.increment(pair.disagreeing());
        }
        produced += (long) prompts * config.pairsPerPrompt();
      }
      finish(State.FINISHED);
    } catch (WakeupException e) {
      finish(State.FINISHED);
    } catch (RuntimeException e) {
      LOG.error("feeder failed", e);
      finish(State.FAILED);
    } finally {
      heartbeat.stop();
      versions = null;
      ready.countDown();
      stopped.countDown();
    }
  }

  /** How long to wait before the next batch is due at the configured rate. */
  private Duration untilDue(long startNanos, long produced) {
    if (config.rate() == 0) {
      return Duration.ZERO;
    }
    long dueNanos = startNanos + (long) (produced / config.rate() * 1e9);
    return Duration.ofNanos(Math.max(0, dueNanos - System.nanoTime()));
  }

  /** Polls the model-versions topic for {@code wait}, switching to any newer version of our model. */
  private void pollVersions(KafkaConsumer<String, ModelVersion> consumer, PairGenerator generator, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    do {
      heartbeat.beat();
      // at most a second per poll, so a slow rate never looks like a stalled loop
      long left = Math.min(1_000_000_000L, Math.max(0, deadline - System.nanoTime()));
      for (ConsumerRecord<String, ModelVersion> r : consumer.poll(Duration.ofNanos(left))) {
        ModelVersion v = r.value();
        if (v != null && config.model().equals(v.getModel()) && v.getVersion() > generator.modelVersion()) {
          try {
            generator.useVersion(v.getVersion(), v.getManifestSha256());
            version.set(v.getVersion());
            LOG.info("feeder switched to {} v{}", config.model(), v.getVersion());
          } catch (ModelIntegrityException e) {
            LOG.error("cannot use {} v{}, keeping v{}: {}", config.model(), v.getVersion(), generator.modelVersion(),
                e.getMessage());
          }
        }
      }
    } while (running && System.nanoTime() < deadline);
  }

  private void finish(State end) {
    state.updateAndGet(s -> s == State.CLOSED ? s : end);
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<String, ModelVersion> c = versions;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(60).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    state.set(State.CLOSED);
  }
}
