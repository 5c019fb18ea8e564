package dev.prefstream.labeler.bench;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.schemas.PairIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic scored pairs for the benchmark and the integration tests: pair {@code i}
 * has its own prompt and images, one vote, and three scorers whose scores agree with the vote about
 * two times in three, so both routes occur.
 */
public final class SyntheticPairs {
  /** The scorers every synthetic pair carries. */
  public static final List<String> SCORERS = List.of("s1", "s2", "s3");

  private SyntheticPairs() {}

  public static ScoredPair pair(int i) {
    SplittableRandom r = new SplittableRandom(0x5eed + i);
    String prompt = "a small red circle at the top on a blue background #" + i;
    ImageRef a = image("a", i);
    ImageRef b = image("b", i);
    PreferenceVote vote = PreferenceVote.newBuilder()
        .setVoteId("bench-v" + i)
        .setPairId(PairIds.pairId(prompt, a.getSha256(), b.getSha256()))
        .setPrompt(prompt)
        .setImageA(a)
        .setImageB(b)
        .setChoice(r.nextBoolean() ? Choice.A : Choice.B)
        .setUserId("u" + (i % 997))
        .setTimestamp(Instant.now())
        .setSource("bench")
        .setAttributes(Map.of())
        .build();
    double sign = vote.getChoice() == Choice.A ? 1 : -1;
    List<ScorerScore> scores = SCORERS.stream().map(s -> {
      double base = r.nextDouble();
      double diff = (r.nextInt(3) < 2 ? sign : -sign) * (0.01 + r.nextDouble());
      return new ScorerScore(s, "1", base + diff, base);
    }).toList();
    return new ScoredPair(vote, scores, Instant.now());
  }

  private static ImageRef image(String side, int i) {
    String sha = PairIds.sha256Hex((side + i).getBytes(StandardCharsets.UTF_8));
    return new ImageRef("file:images/" + sha.substring(0, 2) + "/" + sha + ".png", sha, null);
  }
}
