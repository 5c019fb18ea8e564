package dev.prefstream.diffusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import dev.prefstream.diffusion.ImageTensors;
import dev.prefstream.diffusion.NativeHeap;
import dev.prefstream.diffusion.Rng;
import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.diffusion.model.KernelCheck;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Diffusion-DPO training of a policy denoiser against a frozen reference (METHOD.md section 1), with
 * the Semi-DPO band-labelled variant (section 3) and the reference updates of section 2. One step per
 * call; the caller owns both models, this trainer owns the optimizer and the random generator, and
 * {@link #saveState} / {@link #loadState} checkpoint them. Not thread-safe; DJL allows one gradient
 * collector per process, so run one trainer at a time.
 */
public final class DpoTrainer implements AutoCloseable {
  private static final int STATE_MAGIC = 0x50534454; // "PSDT"
  /** Steps between native heap trims, which keep resident memory flat (see {@link NativeHeap}). */
  private static final int TRIM_EVERY = 25;

  private final DenoiserModel policy;
  private final DenoiserModel reference;
  private final NoiseSchedule schedule;
  private final DpoConfig config;
  private final AdamW optimizer;
  private final Rng rng;
  private long referenceVersion;

  /**
   * Makes {@code policy} trainable and freezes {@code reference}; draws all randomness from {@code seed}.
   * Refuses to train where libtorch's convolution kernels are wrong ({@link KernelCheck}).
   */
  public DpoTrainer(DenoiserModel policy, DenoiserModel reference, NoiseSchedule schedule,
      DpoConfig config, long seed) {
    if (policy == reference) {
      throw new IllegalArgumentException("the reference must be a separate copy of the policy");
    }
    KernelCheck.verify(policy);
    this.policy = policy;
    this.reference = reference;
    this.schedule = schedule;
    this.config = config;
    this.optimizer = config.newOptimizer();
    this.rng = new Rng(seed);
    policy.setTrainable(true);
    reference.setTrainable(false);
  }

  public DpoConfig config() {
    return config;
  }

  /** Optimizer steps taken so far. */
  public long steps() {
    return optimizer.steps();
  }

  /** Number of reference updates so far (scheduled ones and {@link #replaceReference()}). */
  public long referenceVersion() {
    return referenceVersion;
  }

  /** One Diffusion-DPO step on the pairs, each with a timestep uniform over the schedule. */
  public DpoStepResult step(List<PreferencePair> pairs) {
    int[] t = new int[pairs.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = rng.nextInt(schedule.steps());
    }
    return run(pairs, t);
  }

  /**
   * One Semi-DPO retraining step: each pair's timestep is drawn from a band where it has a label,
   * chosen uniformly among those bands, and that band's sign orients the pair. Unlabelled pairs are
   * left out.
   */
  public DpoStepResult step(List<PreferencePair> pairs, List<BandLabels> labels) {
    if (pairs.size() != labels.size()) {
      throw new IllegalArgumentException(pairs.size() + " pairs but " + labels.size() + " labels");
    }
    List<PreferencePair> oriented = new ArrayList<>();
    List<Integer> timesteps = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      BandLabels label = labels.get(i);
      if (label.signs().length != config.bands().count()) {
        throw new IllegalArgumentException("labels need one sign per band: " + label);
      }
      int labelled = label.labelledBands();
      if (labelled == 0) {
        continue;
      }
      int band = nthLabelledBand(label, rng.nextInt(labelled));
      timesteps.add(config.bands().draw(band, rng));
      oriented.add(label.sign(band) > 0 ? pairs.get(i) : pairs.get(i).swapped());
    }
    return run(oriented, timesteps.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int nthLabelledBand(BandLabels label, int n) {
    int seen = 0;
    for (int band = 0; ; band++) {
      if (label.sign(band) != 0 && seen++ == n) {
        return band;
      }
    }
  }

  /** Copies the policy into the reference now (e.g. once per relabelling round or model version). */
  public void replaceReference() {
    reference.copyParametersFrom(policy);
    referenceVersion++;
  }

  private DpoStepResult run(List<PreferencePair> pairs, int[] t) {
    if (pairs.isEmpty()) {
      return new DpoStepResult(steps(), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          optimizer.currentLearningRate(), false, referenceVersion, 0);
    }
    long start = System.nanoTime();
    int n = pairs.size();
    boolean[] drop = new boolean[n];
    for (int i = 0; i < n; i++) {
      drop[i] = rng.nextDouble() < config.captionDropout();
    }
    float lr = optimizer.currentLearningRate();
    double loss;
    double[] z;
    double gradNorm;
    try (NDManager manager = NDManager.newBaseManager()) {
      DpoBatch batch = prepare(manager, pairs, t, drop);
      NDArray referencePrediction = reference.predictNoise(batch.inputs(), batch.times(), batch.tokens(), false);
      NDArray referenceError = TrainingBatches.perImageError(referencePrediction, batch.targets());
      NDArray zArray;
      NDArray lossArray;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray policyPrediction = policy.predictNoise(batch.inputs(), batch.times(), batch.tokens(), true);
        NDArray policyError = TrainingBatches.perImageError(policyPrediction, batch.targets());
        NDArray weights = errorWeights(manager, t);
        zArray = z(policyError, referenceError, weights, n);
        lossArray = Activation.softPlus(zArray.neg()).mean();
        NDArray objective = lossArray;
        if (config.klWeight() > 0) {
          objective = objective.add(klTerm(policyPrediction, referencePrediction, weights));
        }
        collector.backward(objective);
      }
      gradNorm = optimizer.step(policy.parameters());
      loss = lossArray.getFloat();
      z = TrainingBatches.toDoubles(zArray);
    }
    boolean updated = updateReferenceIfDue();
    if (steps() % TRIM_EVERY == 0) {
      NativeHeap.trim();
    }
    return new DpoStepResult(steps(), n, loss, DpoMath.implicitAccuracy(z), DpoMath.rewardMargin(z),
        gradNorm, lr, updated, referenceVersion, (System.nanoTime() - start) / 1e6);
  }

  /** Builds the step's inputs; winner and loser of a pair share noise, timestep and tokens. */
  DpoBatch prepare(NDManager manager, List<PreferencePair> pairs, int[] t, boolean[] dropCaption) {
    int n = pairs.size();
    NDArray winners = ImageTensors.toModelSpace(manager, pairs.stream().map(PreferencePair::winner)
        .toList());
    NDArray losers = ImageTensors.toModelSpace(manager, pairs.stream().map(PreferencePair::loser)
        .toList());
    NDArray noise = TrainingBatches.gaussian(manager, rng, n, policy.imageSize());
    NDArray inputs = schedule.addNoise(winners, noise, t).concat(schedule.addNoise(losers, noise, t), 0);
    NDArray times = TrainingBatches.times(manager, t);
    NDArray tokens = TrainingBatches.tokens(manager, policy.tokenizer(),
        pairs.stream().map(PreferencePair::prompt).toList(), dropCaption);
    return new DpoBatch(t.clone(), noise, inputs, times.concat(times, 0), tokens.concat(tokens, 0),
        noise.concat(noise, 0));
  }

  /** z per pair from per-image noise errors laid out [winners; losers], in the configured errors. */
  private NDArray z(NDArray policyError, NDArray referenceError, NDArray weights, int n) {
    NDArray advantage = referenceError.sub(policyError); // r - m per image
    NDArray winner = advantage.get("0:" + n);
    NDArray loser = advantage.get(n + ":");
    return winner.sub(loser).mul(weights).mul(config.convention().factor() * config.beta());
  }

  /**
   * The per-step KL penalty: {@code klWeight * factor * beta * mean(w_t * |eps_theta - eps_ref|^2)} over
   * both images of every pair. For Gaussian reverse steps of equal variance, KL(p_theta(x_{t-1}|x_t) ||
   * p_ref(x_{t-1}|x_t)) is that squared difference of the predicted noises times a factor of t, so this
   * is the KL that DPO's objective constrains (weighted over t as the errors are), estimated on the
   * batch's own noised images and put on the scale z uses (docs/decisions/0016). Zero with a zero
   * gradient while the policy equals the reference; it restrains moves the preference data does not
   * pay for.
   */
  private NDArray klTerm(NDArray policyPrediction, NDArray referencePrediction, NDArray weights) {
    NDArray perImage = TrainingBatches.perImageError(policyPrediction, referencePrediction);
    return perImage.mul(weights.concat(weights, 0)).mean()
        .mul(config.klWeight() * config.convention().factor() * config.beta());
  }

  /** Per pair: the factor from noise errors to the configured errors at its timestep (winner = loser). */
  private NDArray errorWeights(NDManager manager, int[] t) {
    float[] w = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      w[i] = (float) config.errors().weight(policy, schedule.alphaBar(t[i]));
    }
    return manager.create(w);
  }

  private boolean updateReferenceIfDue() {
    ReferenceUpdate update = config.referenceUpdate();
    if (!update.dueAfter(steps())) {
      return false;
    }
    if (update.strategy() == ReferenceUpdate.Strategy.HARD) {
      reference.copyParametersFrom(policy);
    } else {
      reference.blendParametersFrom(policy, update.alpha());
    }
    referenceVersion++;
    return true;
  }

  /**
   * Writes the optimizer state, the random generator state and the reference version. Model
   * parameters are saved separately through {@link DenoiserModel#saveParameters} (the reference
   * too when it is updated softly, since it then matches no published version).
   */
  public void saveState(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(STATE_MAGIC);
    data.writeLong(rng.state());
    data.writeLong(referenceVersion);
    optimizer.save(data);
    data.flush();
  }

  /** Restores what {@link #saveState} wrote. */
  public void loadState(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readInt() != STATE_MAGIC) {
      throw new IOException("not a prefstream DPO trainer state");
    }
    long rngState = data.readLong();
    long version = data.readLong();
    optimizer.load(data);
    rng.restore(rngState);
    referenceVersion = version;
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
