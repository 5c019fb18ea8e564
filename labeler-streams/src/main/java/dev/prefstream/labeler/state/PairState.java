package dev.prefstream.labeler.state;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.HumanTally;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.avro.Side;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the labeler remembers about one pair, in canonical orientation (image A has the smaller
 * digest): the pair itself, each voter's current vote, the latest scorer scores, the last emitted
 * decisions and this pair's contribution to the scorer reliability counts. Mutable; one instance
 * lives only while a record is processed.
 */
public final class PairState {
  private String prompt;
  private ImageRef imageA;
  private ImageRef imageB;
  private final Map<String, Voter> voters;
  private List<ScorerScore> scores;
  private long lastVoteTimestamp;
  private Decision decision;
  private Map<String, Side> countedSides;
  private Side countedHuman;
  private Pseudo pseudo;
  private int relabeledVersion;

  PairState(String prompt, ImageRef imageA, ImageRef imageB, Map<String, Voter> voters, List<ScorerScore> scores,
      long lastVoteTimestamp, Decision decision, Side countedHuman, Map<String, Side> countedSides, Pseudo pseudo,
      int relabeledVersion) {
    this.prompt = prompt;
    this.imageA = imageA;
    this.imageB = imageB;
    this.voters = voters;
    this.scores = scores;
    this.lastVoteTimestamp = lastVoteTimestamp;
    this.decision = decision;
    this.countedHuman = countedHuman;
    this.countedSides = countedSides;
    this.pseudo = pseudo;
    this.relabeledVersion = relabeledVersion;
  }

  /** A pair seen for the first time, from its first (canonical) vote. */
  public static PairState first(PreferenceVote canonical) {
    return first(canonical.getPrompt(), canonical.getImageA(), canonical.getImageB(),
        canonical.getTimestamp().toEpochMilli());
  }

  /** A pair seen for the first time: its prompt and images in canonical orientation, the vote's time. */
  public static PairState first(String prompt, ImageRef canonicalA, ImageRef canonicalB, long voteTimestamp) {
    return new PairState(prompt, canonicalA, canonicalB, new LinkedHashMap<>(), List.of(), voteTimestamp,
        Decision.PENDING, Side.ABSTAIN, Map.of(), null, -1);
  }

  /**
   * Applies a canonical vote. A user counts once per pair (votes without a user id count per vote
   * id): a re-sent vote id changes nothing, a newer vote replaces the user's earlier one, an older
   * one arriving late is ignored. Returns true when the tally changed.
   */
  public boolean apply(PreferenceVote canonical) {
    return apply(canonical.getUserId(), canonical.getVoteId(), canonical.getChoice(),
        canonical.getTimestamp().toEpochMilli());
  }

  /**
   * {@link #apply(PreferenceVote)} from the vote's parts; {@code canonicalChoice} is the choice in
   * canonical orientation (mirrored when the vote showed the images the other way round).
   */
  public boolean apply(String userId, String voteId, Choice canonicalChoice, long ts) {
    String key = userId != null ? "u:" + userId : "v:" + voteId;
    Voter prev = voters.get(key);
    if (prev != null && (prev.voteId().equals(voteId) || ts < prev.timestamp())) {
      return false;
    }
    voters.put(key, new Voter(voteId, canonicalChoice, ts));
    lastVoteTimestamp = Math.max(lastVoteTimestamp, ts);
    return prev == null || prev.choice() != canonicalChoice;
  }

  /**
   * True when {@code prompt} and the two digests (in either order) are this pair's, so a vote carrying
   * them has this pair's id.
   */
  public boolean isPairOf(String prompt, String sha256A, String sha256B) {
    String a = imageA.getSha256();
    String b = imageB.getSha256();
    return this.prompt.equals(prompt)
        && ((a.equals(sha256A) && b.equals(sha256B)) || (a.equals(sha256B) && b.equals(sha256A)));
  }

  /** The human tally: distinct voters' current votes. */
  public HumanTally tally() {
    int a = 0;
    int b = 0;
    int ties = 0;
    for (Voter v : voters.values()) {
      if (v.choice() == Choice.A) {
        a++;
      } else if (v.choice() == Choice.B) {
        b++;
      } else {
        ties++;
      }
    }
    return new HumanTally(a, b, ties, voters.size());
  }

  public String prompt() {
    return prompt;
  }

  public ImageRef imageA() {
    return imageA;
  }

  public ImageRef imageB() {
    return imageB;
  }

  Map<String, Voter> voters() {
    return voters;
  }

  /** The latest scorer scores seen for the pair, canonical orientation. */
  public List<ScorerScore> scores() {
    return scores;
  }

  public void scores(List<ScorerScore> latest) {
    this.scores = latest;
  }

  public long lastVoteTimestamp() {
    return lastVoteTimestamp;
  }

  /** The last emitted decision. */
  public Decision decision() {
    return decision;
  }

  public void decision(Decision emitted) {
    this.decision = emitted;
  }

  /** The human label this pair last contributed to the scorer reliability counts (ABSTAIN: none). */
  public Side countedHuman() {
    return countedHuman;
  }

  /** The scorer sides this pair last contributed to the reliability counts. */
  public Map<String, Side> countedSides() {
    return countedSides;
  }

  public void counted(Side human, Map<String, Side> sides) {
    this.countedHuman = human;
    this.countedSides = sides;
  }

  /** The latest accepted pseudo-label, or null. */
  public Pseudo pseudo() {
    return pseudo;
  }

  public void pseudo(Pseudo latest) {
    this.pseudo = latest;
  }

  /** The pseudo-label version currently published on the relabeled topic, -1 for none. */
  public int relabeledVersion() {
    return relabeledVersion;
  }

  public void relabeledVersion(int version) {
    this.relabeledVersion = version;
  }
}
