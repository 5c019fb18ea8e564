package dev.prefstream.sim.feed;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.model.ModelIntegrityException;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.sampling.DdimSampler;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import dev.prefstream.schemas.PairIds;
import dev.prefstream.schemas.SimulatorAttributes;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.sim.world.Dimensions;
import dev.prefstream.sim.world.Oracle;
import dev.prefstream.sim.world.Prompt;
import dev.prefstream.sim.world.SimulatedVote;
import dev.prefstream.sim.world.VoterPopulation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Generates preference pairs the way a product would: for a prompt, two or more images from the current
 * model version with as many seeds (every two of them a pair), stored in the {@link ImageStore}, then voted on by distinct simulated users.
 * Each vote carries the simulator's truth in its attributes ({@value #TRUE_PREFERENCE}, {@value #ORACLE_A},
 * {@value #ORACLE_B}, {@value #MODEL_VERSION}). The model comes from the {@link ModelStore}, digests
 * verified, and can be swapped for a newer version between batches.
 *
 * <p>Not thread-safe: it holds one model and one sampler; use one generator per thread.
 */
public final class PairGenerator implements AutoCloseable {
  /** The population's probability of preferring A, per the oracle's dimensions. */
  public static final String TRUE_PREFERENCE = SimulatorAttributes.TRUE_PREFERENCE_A;
  /** The oracle's overall score of image A. */
  public static final String ORACLE_A = SimulatorAttributes.ORACLE_A;
  /** The oracle's overall score of image B. */
  public static final String ORACLE_B = SimulatorAttributes.ORACLE_B;
  /** The model version that sampled the pair. */
  public static final String MODEL_VERSION = SimulatorAttributes.MODEL_VERSION;
  /** The source of the simulator's votes. */
  public static final String SOURCE = "simulator";

  private final FeederConfig config;
  private final ModelStore models;
  private final ImageStore images;
  private final VoterPopulation population;
  private final List<Prompt> prompts;
  private final Oracle oracle = Oracle.equalWeights();
  private final DdimSampler sampler;
  private final SplittableRandom rng;
  private final Clock clock;
  private UNetDenoiser model;
  private int modelVersion = -1;

  /** Loads the latest version of {@link FeederConfig#model()}; fails when the store has none or it does not verify. */
  public PairGenerator(FeederConfig config, ModelStore models, ImageStore images, Clock clock) {
    this.config = config;
    this.models = models;
    this.images = images;
    this.clock = clock;
    this.population = VoterPopulation.sample(config.population(), config.populationSeed());
    this.prompts = config.prompts().prompts();
    this.sampler = new DdimSampler(NoiseSchedule.ddpm(), config.ddimSteps());
    this.rng = new SplittableRandom(config.seed());
    int latest = models.latestVersion(config.model()).orElseThrow(() -> new IllegalStateException(
        "the model store " + models.root() + " holds no version of '" + config.model() + "'"));
    useVersion(latest);
  }

  /** The version the next pairs are sampled with. */
  public int modelVersion() {
    return modelVersion;
  }

  /** The simulated users. */
  public VoterPopulation population() {
    return population;
  }

  /**
   * Switches to {@code version} after verifying its files; keeps the current model if that fails.
   * Returns whether the model changed (a version not newer than the current one is ignored).
   */
  public boolean useVersion(int version) {
    return useVersion(version, null);
  }

  /**
   * As {@link #useVersion(int)}, also checking that the stored manifest's SHA-256 is the one announced
   * (a {@link ModelIntegrityException} otherwise); {@code manifestSha256} null skips that check.
   */
  public boolean useVersion(int version, String manifestSha256) {
    if (version <= modelVersion) {
      return false;
    }
    ModelStore.Stored stored = models.version(config.model(), version);
    if (manifestSha256 != null && !manifestSha256.equals(stored.manifestSha256())) {
      throw new ModelIntegrityException(stored.dir() + ": manifest sha256 " + stored.manifestSha256()
          + " is not the announced " + manifestSha256);
    }
    UNetDenoiser loaded = StoredUNet.load(stored);
    if (model != null) {
      model.close();
    }
    model = loaded;
    modelVersion = version;
    return true;
  }

  /**
   * Samples {@link FeederConfig#imagesPerPrompt()} images for each of {@code prompts} prompts in one
   * batch, and has every two images of a prompt voted on as a pair (k(k-1)/2 pairs per prompt; one with
   * two images). A pair whose two images came out pixel-identical (no preference to express) is
   * dropped, so fewer pairs may come back.
   */
  public List<GeneratedPair> generate(int prompts) {
    int k = config.imagesPerPrompt();
    List<Prompt> chosen = new ArrayList<>(prompts);
    List<String> texts = new ArrayList<>(k * prompts);
    long[] seeds = new long[k * prompts];
    for (int i = 0; i < prompts; i++) {
      Prompt p = this.prompts.get(rng.nextInt(this.prompts.size()));
      chosen.add(p);
      for (int j = 0; j < k; j++) {
        texts.add(p.text());
        seeds[k * i + j] = rng.nextLong();
      }
    }
    List<RgbImage> sampled = sampler.sample(model, texts, seeds, config.guidanceScale());
    List<GeneratedPair> out = new ArrayList<>(prompts * config.pairsPerPrompt());
    for (int i = 0; i < prompts; i++) {
      Prompt prompt = chosen.get(i);
      List<ImageRef> refs = new ArrayList<>(k);
      List<Dimensions> measured = new ArrayList<>(k);
      for (int j = 0; j < k; j++) {
        RgbImage image = sampled.get(k * i + j);
        refs.add(images.put(image));
        measured.add(oracle.measure(prompt, image));
      }
      for (int a = 0; a < k; a++) {
        for (int b = a + 1; b < k; b++) {
          if (!refs.get(a).getSha256().equals(refs.get(b).getSha256())) {
            out.add(vote(prompt, refs.get(a), measured.get(a), refs.get(b), measured.get(b)));
          }
        }
      }
    }
    return out;
  }

  private GeneratedPair vote(Prompt prompt, ImageRef a, Dimensions da, ImageRef b, Dimensions db) {
    String text = prompt.text();
    String pairId = PairIds.pairId(text, a.getSha256(), b.getSha256());
    double truth = population.truePreference(da, db);
    Map<String, String> attributes = Map.of(
        TRUE_PREFERENCE, format(truth),
        ORACLE_A, format(oracle.overall(da)),
        ORACLE_B, format(oracle.overall(db)),
        MODEL_VERSION, String.valueOf(modelVersion));
    List<PreferenceVote> votes = new ArrayList<>();
    int disagreeing = 0;
    for (int user : distinctUsers(config.votesPerPair())) {
      SimulatedVote v = population.vote(user, da, db, rng);
      disagreeing += v.disagreesWithTruth() ? 1 : 0;
      votes.add(PreferenceVote.newBuilder()
          .setVoteId("sim-" + pairId + "-" + v.userId())
          .setPairId(pairId)
          .setPrompt(text)
          .setImageA(a)
          .setImageB(b)
          .setChoice(Choice.valueOf(v.choice().name()))
          .setUserId(v.userId())
          .setTimestamp(clock.instant())
          .setSource(SOURCE)
          .setAttributes(attributes)
          .build());
    }
    return new GeneratedPair(pairId, prompt, a, b, da, db, truth, modelVersion, votes, disagreeing);
  }

  /** {@code k} distinct user indices, uniformly (a partial Fisher-Yates shuffle). */
  private int[] distinctUsers(int k) {
    int[] users = IntStream.range(0, population.size()).toArray();
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(users.length - i);
      int t = users[i];
      users[i] = users[j];
      users[j] = t;
    }
    return java.util.Arrays.copyOf(users, k);
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
      model = null;
    }
  }
}
