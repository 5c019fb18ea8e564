package dev.prefstream.trainer;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.Rng;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.diffusion.train.BandLabels;
import dev.prefstream.diffusion.train.DpoStepResult;
import dev.prefstream.diffusion.train.DpoTrainer;
import dev.prefstream.diffusion.train.PreferencePair;
import dev.prefstream.diffusion.train.TimestepBands;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model side of the trainer: policy, reference, DPO trainer and batch sampler, and their life in
 * the model store, whose files follow {@link StoredUNet}'s convention. {@link #open} resumes from the
 * newest checkpoint, else starts from the newest published version, else from a fresh seeded UNet. Versions take the next number the store has not
 * used; checkpoints hold both networks, the optimizer, the generators and the consumed offsets. Not
 * thread-safe: open it and use it on the trainer loop's thread.
 */
final class TrainingSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingSession.class);
  /** The checkpoint file holding the optimizer, the generators and the step (beside the StoredUNet files). */
  static final String TRAINER_STATE = "trainer.state";
  private static final int STATE_MAGIC = 0x50535453; // "PSTS"
  private static final long SAMPLER_SEED_MIX = 0x5DEECE66DL;

  /** Where the initial policy came from. */
  enum Origin {
    CHECKPOINT,
    VERSION,
    FRESH
  }

  private final TrainerConfig config;
  private final ModelStore store;
  private final UNetDenoiser policy;
  private final UNetDenoiser reference;
  private final DpoTrainer trainer;
  private final HoldoutEvaluator evaluator;
  private final Rng sampler;
  private final Origin origin;
  private final Map<String, Long> resumedOffsets;
  private int lastVersion;
  private int referenceVersion;
  private long lastCheckpointStep;

  private TrainingSession(TrainerConfig config, ModelStore store, UNetDenoiser policy, UNetDenoiser reference,
      Origin origin, int lastVersion, int referenceVersion, Map<String, Long> resumedOffsets) {
    this.config = config;
    this.store = store;
    this.policy = policy;
    this.reference = reference;
    NoiseSchedule schedule = NoiseSchedule.ddpm();
    this.trainer = new DpoTrainer(policy, reference, schedule, config.dpo(), config.seed());
    this.evaluator = new HoldoutEvaluator(schedule, config.dpo().bands().anchors(), config.beta(),
        config.betaConvention(), config.dpoErrors(), config.evalPairs());
    this.sampler = new Rng(config.seed() ^ SAMPLER_SEED_MIX);
    this.origin = origin;
    this.lastVersion = lastVersion;
    this.referenceVersion = referenceVersion;
    this.resumedOffsets = Map.copyOf(resumedOffsets);
  }

  /** Resumes or starts training of {@code config.model()}; says in the log where the policy came from. */
  static TrainingSession open(TrainerConfig config, ModelStore store) {
    // libtorch's grad mode is per thread and DJL turns it off only in the thread that loaded the
    // engine; in any other thread in-place parameter writes (loading, reference updates) would fail
    // and reference forward passes would build graphs. Gradients are enabled by DpoTrainer's collector.
    Engine.getEngine("PyTorch");
    JniUtils.setGradMode(false);
    String model = config.model();
    int leftovers = store.removeStaging(model);
    if (leftovers > 0) {
      LOG.info("model {}: removed {} staging directories left by a write that did not finish", model, leftovers);
    }
    Optional<ModelStore.Stored> checkpoint = store.latestCheckpoint(model);
    if (checkpoint.isPresent()) {
      return resume(config, store, checkpoint.get());
    }
    OptionalInt latest = store.latestVersion(model);
    if (latest.isPresent()) {
      ModelStore.Stored version = store.version(model, latest.getAsInt());
      UNetDenoiser policy = StoredUNet.load(version);
      LOG.info("model {}: no checkpoint; starting from published version v{} ({}), which is also the reference",
          model, latest.getAsInt(), version.dir());
      return new TrainingSession(config, store, policy, policy.copy(), Origin.VERSION, latest.getAsInt(),
          latest.getAsInt(), Map.of());
    }
    if (config.freshUNet().vocabulary().isEmpty()) {
      throw new IllegalArgumentException("the model store " + store.root() + " holds no " + model
          + ": set trainer.vocabulary (the prompt words) to start from a fresh UNet, or publish a base version");
    }
    UNetDenoiser policy = UNetDenoiser.create(config.freshUNet(), (int) config.seed());
    LOG.warn("model {}: the store {} holds no checkpoint and no version; starting from a FRESH seeded UNet "
        + "(seed {}, {} parameters, {}x{}), to be published as the base version",
        model, store.root(), config.seed(), policy.parameterCount(), policy.imageSize(), policy.imageSize());
    return new TrainingSession(config, store, policy, policy.copy(), Origin.FRESH, -1, -1, Map.of());
  }

  private static TrainingSession resume(TrainerConfig config, ModelStore store, ModelStore.Stored checkpoint) {
    Manifest m = checkpoint.manifest();
    UNetDenoiser policy = StoredUNet.load(checkpoint);
    UNetDenoiser reference = StoredUNet.loadReference(store, checkpoint);
    TrainingSession session = new TrainingSession(config, store, policy, reference, Origin.CHECKPOINT,
        m.version(), m.referenceVersion(), m.offsets());
    try (InputStream in = new BufferedInputStream(Files.newInputStream(checkpoint.file(TRAINER_STATE)))) {
      session.loadState(in);
    } catch (IOException e) {
      session.close();
      throw new UncheckedIOException("cannot restore trainer state from " + checkpoint.dir(), e);
    }
    session.lastCheckpointStep = session.step();
    LOG.info("model {}: resuming from checkpoint step {} (last version v{}, reference v{}), offsets {}",
        config.model(), m.step(), m.version(), m.referenceVersion(), m.offsets());
    return session;
  }

  Origin origin() {
    return origin;
  }

  /** The offsets of the checkpoint this session resumed from; empty when it did not resume. */
  Map<String, Long> resumedOffsets() {
    return resumedOffsets;
  }

  int imageSize() {
    return policy.imageSize();
  }

  long step() {
    return trainer.steps();
  }

  /** The newest version this session published or started from; -1 before the base version exists. */
  int lastVersion() {
    return lastVersion;
  }

  long lastCheckpointStep() {
    return lastCheckpointStep;
  }

  TimestepBands bands() {
    return config.dpo().bands();
  }

  /** One DPO step on a batch drawn from the buffer with the session's seeded sampler. */
  DpoStepResult step(ReplayBuffer buffer) {
    List<TrainingPair> batch = buffer.sample(config.batchPairs(), sampler);
    List<PreferencePair> pairs = batch.stream().map(TrainingPair::pair).toList();
    if (batch.stream().noneMatch(TrainingPair::banded)) {
      return trainer.step(pairs);
    }
    int[] everyBand = new int[bands().count()];
    Arrays.fill(everyBand, 1);
    BandLabels uniform = new BandLabels(everyBand);
    return trainer.step(pairs, batch.stream().map(p -> p.banded() ? p.bands() : uniform).toList());
  }

  Map<String, Double> evaluate(List<TrainingPair> holdout) {
    return evaluator.evaluate(policy, reference, holdout);
  }

  /**
   * Publishes the policy as the next unused version number (files durable before this returns),
   * then replaces the reference if the schedule says so after this version.
   */
  ModelStore.Stored publishVersion(Map<String, Double> metrics, Map<String, Long> offsets) {
    int version = Math.max(lastVersion + 1, store.latestVersion(config.model()).orElse(-1) + 1);
    int ref = referenceVersion < 0 ? version : referenceVersion;
    Manifest draft = new Manifest(config.model(), Manifest.VERSION, version, lastVersion < 0 ? null : lastVersion,
        ref, step(), config.beta(), config.betaConvention().configName(), manifestConfig(), metrics, offsets,
        Map.of(), 0);
    ModelStore.Stored stored = store.publishVersion(draft, dir -> {
      StoredUNet.writeParameters(policy, dir);
      StoredUNet.writeReference(reference, dir);
    });
    lastVersion = version;
    referenceVersion = ref;
    if (config.reference().replaceAfterVersion(version)) {
      trainer.replaceReference();
      referenceVersion = version;
      LOG.info("reference replaced by version v{} ({})", version, config.reference());
    }
    return stored;
  }

  /** Saves a checkpoint at the current step, unless one exists for it; keeps the newest few. */
  void checkpoint(Map<String, Long> offsets) {
    if (step() == lastCheckpointStep) {
      return;
    }
    Manifest draft = new Manifest(config.model(), Manifest.CHECKPOINT, Math.max(lastVersion, 0), null,
        Math.max(referenceVersion, 0), step(), config.beta(), config.betaConvention().configName(),
        manifestConfig(), Map.of("reference_updates", (double) trainer.referenceVersion()), offsets, Map.of(), 0);
    store.saveCheckpoint(draft, dir -> {
      StoredUNet.writeParameters(policy, dir);
      StoredUNet.writeReference(reference, dir);
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          Files.newOutputStream(dir.resolve(TRAINER_STATE))))) {
        out.writeInt(STATE_MAGIC);
        out.writeLong(sampler.state());
        trainer.saveState(out);
      }
    });
    lastCheckpointStep = step();
    store.pruneCheckpoints(config.model(), config.keepCheckpoints());
  }

  private void loadState(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readInt() != STATE_MAGIC) {
      throw new IOException("not a prefstream trainer state");
    }
    sampler.restore(data.readLong());
    trainer.loadState(data);
  }

  private Map<String, String> manifestConfig() {
    Map<String, String> m = new TreeMap<>(config.describe());
    m.putAll(StoredUNet.configEntries(policy.config()));
    return m;
  }

  @Override
  public void close() {
    trainer.close();
    reference.close();
    policy.close();
  }
}
