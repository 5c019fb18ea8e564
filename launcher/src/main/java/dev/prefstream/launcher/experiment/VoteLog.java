package dev.prefstream.launcher.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.Side;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageException;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.voting.PairDecider;
import dev.prefstream.sim.feed.FeederConfig;
import dev.prefstream.sim.feed.GeneratedPair;
import dev.prefstream.sim.feed.PairGenerator;
import dev.prefstream.sim.world.Dimensions;
import dev.prefstream.sim.world.Oracle;
import dev.prefstream.sim.world.Prompt;
import dev.prefstream.sim.world.VoterPopulation;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The fixed, seeded vote log every arm of an experiment trains on: pairs sampled by the simulator's
 * {@link PairGenerator} from the base model, their images in the log's own image store, every simulated
 * vote, and the population's true preference measured on the images as stored (8-bit PNG, what users
 * and the trainer see). Written once, atomically ({@code pairs.jsonl} appears complete or not at all),
 * then only read.
 */
public final class VoteLog {
  static final String FILE = "pairs.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final Path dir;
  private final List<LoggedPair> pairs;

  private VoteLog(Path dir, List<LoggedPair> pairs) {
    this.dir = dir;
    this.pairs = List.copyOf(pairs);
  }

  /** One vote as logged: the user and the choice (A, B or TIE). */
  public record LoggedVote(String userId, String choice) {}

  /**
   * One pair: prompt, both images, the population's probability of preferring A on the stored images
   * ({@code truthA}) and on the float images the generator rendered ({@code truthAFloat}), the votes.
   */
  public record LoggedPair(String pairId, String prompt, String uriA, String sha256A, String uriB,
      String sha256B, double truthA, double truthAFloat, List<LoggedVote> votes) {

    /** The labeler's human label: its tally of the distinct users' votes (ABSTAIN on a tie). */
    public Side humanLabel() {
      PairState state = PairState.first(prompt, imageA(), imageB(), 0);
      for (int i = 0; i < votes.size(); i++) {
        LoggedVote v = votes.get(i);
        state.apply(v.userId(), pairId + "-" + i, Choice.valueOf(v.choice()), i);
      }
      return PairDecider.humanLabel(state.tally());
    }

    /** The side the population prefers (ABSTAIN when exactly indifferent). */
    public Side truthLabel() {
      return truthA > 0.5 ? Side.A : truthA < 0.5 ? Side.B : Side.ABSTAIN;
    }

    public ImageRef imageA() {
      return ImageRef.newBuilder().setUri(uriA).setSha256(sha256A).setBytes(null).build();
    }

    public ImageRef imageB() {
      return ImageRef.newBuilder().setUri(uriB).setSha256(sha256B).setBytes(null).build();
    }
  }

  public List<LoggedPair> pairs() {
    return pairs;
  }

  /** The store the log's images live in (confined to the log directory). */
  public ImageStore images() {
    return new ImageStore(ImageStore.Settings.of(dir));
  }

  /** Opens the log in {@code dir}, or generates it there first from version 0 of {@code baseModels}. */
  public static VoteLog openOrGenerate(Path dir, ExperimentSettings settings, ModelStore baseModels,
      IntConsumer progress) {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      generate(dir, settings, baseModels, progress);
    }
    try {
      List<LoggedPair> pairs = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          pairs.add(JSON.readValue(line, LoggedPair.class));
        }
      }
      return new VoteLog(dir, pairs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the vote log " + file, e);
    }
  }

  private static void generate(Path dir, ExperimentSettings settings, ModelStore baseModels, IntConsumer progress) {
    FeederConfig feeder = FeederConfig.from(PrefstreamConfig.of(Map.of(
        "feeder.votes-per-pair", String.valueOf(settings.votesPerPair()),
        "feeder.seed", String.valueOf(settings.logSeed()),
        "feeder.batch-pairs", "8",
        "feeder.images-per-prompt", String.valueOf(settings.imagesPerPrompt()))));
    ImageStore images = new ImageStore(ImageStore.Settings.of(dir));
    Oracle oracle = Oracle.equalWeights();
    Path tmp = dir.resolve(FILE + ".tmp");
    try {
      Files.createDirectories(dir);
      try (PairGenerator generator = new PairGenerator(feeder, baseModels, images, Clock.fixed(EPOCH, ZoneOffset.UTC));
          BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        VoterPopulation population = generator.population();
        int written = 0;
        while (written < settings.pairs()) {
          for (GeneratedPair g : generator.generate(feeder.promptsFor(Math.min(feeder.batchPairs(), settings.pairs() - written)))) {
            if (written == settings.pairs()) {
              break;
            }
            double truth = population.truePreference(measure(oracle, g.prompt(), images, g.imageA()),
                measure(oracle, g.prompt(), images, g.imageB()));
            List<LoggedVote> votes = new ArrayList<>();
            for (PreferenceVote v : g.votes()) {
              votes.add(new LoggedVote(v.getUserId(), v.getChoice().name()));
            }
            out.write(JSON.writeValueAsString(new LoggedPair(g.pairId(), g.prompt().text(), g.imageA().getUri(),
                g.imageA().getSha256(), g.imageB().getUri(), g.imageB().getSha256(), truth, g.truePreferenceA(),
                votes)));
            out.newLine();
            written++;
          }
          progress.accept(written);
        }
      }
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the vote log in " + dir, e);
    }
  }

  private static Dimensions measure(Oracle oracle, Prompt prompt, ImageStore images, ImageRef ref) {
    try {
      RgbImage image = images.load(ref);
      return oracle.measure(prompt, image);
    } catch (ImageException e) {
      throw new IllegalStateException("the image just stored cannot be read back: " + ref.getUri(), e);
    }
  }

  /** Share of the votes (ties left out) that disagree with the population's true preference. */
  public double labelNoise() {
    long disagree = 0;
    long counted = 0;
    for (LoggedPair p : pairs) {
      Side truth = p.truthLabel();
      for (LoggedVote v : p.votes()) {
        if (truth == Side.ABSTAIN || v.choice().equals("TIE")) {
          continue;
        }
        counted++;
        disagree += v.choice().equals(truth.name()) ? 0 : 1;
      }
    }
    return counted == 0 ? Double.NaN : disagree / (double) counted;
  }

  /** Share of pairs whose human label disagrees with the truth (pairs with both labels). */
  public double humanLabelNoise() {
    long disagree = 0;
    long counted = 0;
    for (LoggedPair p : pairs) {
      Side h = p.humanLabel();
      Side t = p.truthLabel();
      if (h != Side.ABSTAIN && t != Side.ABSTAIN) {
        counted++;
        disagree += h == t ? 0 : 1;
      }
    }
    return counted == 0 ? Double.NaN : disagree / (double) counted;
  }

  /** Pairs whose order on the float images differs from that on the stored 8-bit images. */
  public long truthFlipsFromQuantisation() {
    return pairs.stream().filter(p -> (p.truthA() > 0.5) != (p.truthAFloat() > 0.5)).count();
  }
}
