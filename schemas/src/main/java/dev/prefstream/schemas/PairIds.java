package dev.prefstream.schemas;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Pair identity. A pair id is a stable hash of (prompt, image A digest, image B digest), the same
 * whichever image is shown first. The canonical orientation puts the image with the smaller digest
 * first; votes are tallied in that orientation so clients that show the images in either order
 * count towards the same pair.
 */
public final class PairIds {
  private PairIds() {}

  /** 32 hex characters (128 bits) of SHA-256 over the prompt and both digests, sorted. */
  public static String pairId(String prompt, String sha256A, String sha256B) {
    String lo = sha256A.compareTo(sha256B) <= 0 ? sha256A : sha256B;
    String hi = lo == sha256A ? sha256B : sha256A;
    return sha256Hex((prompt + '\u0000' + lo + '\u0000' + hi).getBytes(StandardCharsets.UTF_8)).substring(0, 32);
  }

  public static String pairId(PreferenceVote vote) {
    return pairId(vote.getPrompt(), vote.getImageA().getSha256(), vote.getImageB().getSha256());
  }

  /** True when image A has the smaller digest (the canonical orientation). */
  public static boolean isCanonical(PreferenceVote vote) {
    return vote.getImageA().getSha256().compareTo(vote.getImageB().getSha256()) <= 0;
  }

  /** The same vote in canonical orientation: images swapped and the choice mirrored when needed. */
  public static PreferenceVote canonical(PreferenceVote vote) {
    if (isCanonical(vote)) {
      return vote;
    }
    ImageRef a = vote.getImageA();
    return PreferenceVote.newBuilder(vote)
        .setImageA(vote.getImageB())
        .setImageB(a)
        .setChoice(mirror(vote.getChoice()))
        .build();
  }

  public static Choice mirror(Choice c) {
    return switch (c) {
      case A -> Choice.B;
      case B -> Choice.A;
      case TIE -> Choice.TIE;
    };
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
