package dev.prefstream.labeler;

import dev.prefstream.avro.AnchorLabel;
import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.PseudoLabel;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.schemas.PairIds;
import dev.prefstream.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test data: pairs, votes, scored pairs and pseudo-labels. */
public final class Fixtures {
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  /** A pair of two images; {@code lo} has the smaller digest, so (lo, hi) is canonical. */
  public record Pair(String prompt, ImageRef lo, ImageRef hi) {
    public String id() {
      return PairIds.pairId(prompt, lo.getSha256(), hi.getSha256());
    }
  }

  /**
   * Settings for a labeler on the test broker: {@code base} plus its own application id and state
   * directory under {@code target/<name>-state}, and a 200 ms commit interval. Mutable, for the
   * caller's additions.
   */
  static Map<String, String> labelerSettings(PrefstreamConfig base, Topics topics, String name) throws IOException {
    Path state = Files.createDirectories(Path.of("target", name + "-state", topics.prefix()));
    Map<String, String> settings = new HashMap<>(base.asMap());
    settings.put(LabelerConfig.APPLICATION_ID, "labeler-" + name + "-" + topics.prefix());
    settings.put(LabelerConfig.STATE_DIR, state.toString());
    settings.put(LabelerConfig.COMMIT_INTERVAL_MS, "200");
    return settings;
  }

  public static Pair pair(int n) {
    ImageRef x = image("x" + n);
    ImageRef y = image("y" + n);
    boolean xFirst = x.getSha256().compareTo(y.getSha256()) < 0;
    return new Pair("a red square number " + n, xFirst ? x : y, xFirst ? y : x);
  }

  static ImageRef image(String name) {
    return new ImageRef("file:images/" + name + ".png",
        PairIds.sha256Hex(name.getBytes(StandardCharsets.UTF_8)), null);
  }

  /** A canonical vote (image A = lo). */
  public static PreferenceVote vote(Pair p, String voteId, String userId, Choice choice, long tsOffsetMs) {
    return PreferenceVote.newBuilder()
        .setVoteId(voteId)
        .setPairId(p.id())
        .setPrompt(p.prompt())
        .setImageA(p.lo())
        .setImageB(p.hi())
        .setChoice(choice)
        .setUserId(userId)
        .setTimestamp(T0.plusMillis(tsOffsetMs))
        .setSource("test")
        .setAttributes(Map.of())
        .build();
  }

  /** The same vote as shown with the images swapped (choice mirrored, so it means the same). */
  public static PreferenceVote swapped(PreferenceVote v) {
    return PreferenceVote.newBuilder(v).setImageA(v.getImageB()).setImageB(v.getImageA())
        .setChoice(PairIds.mirror(v.getChoice())).build();
  }

  /** Scores as (name, scoreA, scoreB) triples, relative to the vote's orientation. */
  public static ScoredPair scored(PreferenceVote v, Object... nameAB) {
    ScorerScore[] s = new ScorerScore[nameAB.length / 3];
    for (int i = 0; i < s.length; i++) {
      s[i] = new ScorerScore((String) nameAB[3 * i], "1", ((Number) nameAB[3 * i + 1]).doubleValue(),
          ((Number) nameAB[3 * i + 2]).doubleValue());
    }
    return new ScoredPair(v, Arrays.asList(s), v.getTimestamp().plusMillis(5));
  }

  public static PseudoLabel pseudo(Pair p, int version, int... signs) {
    AnchorLabel[] a = new AnchorLabel[signs.length];
    for (int i = 0; i < signs.length; i++) {
      a[i] = new AnchorLabel(50 + 100 * i, signs[i] * 2.0, 1.0, signs[i]);
    }
    return new PseudoLabel(p.id(), "unet", version, version - 1, 1, 5000.0, "half", List.of(a), T0);
  }
}
