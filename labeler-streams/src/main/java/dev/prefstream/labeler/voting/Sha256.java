package dev.prefstream.labeler.voting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The labeler's per-record SHA-256 uses, without the per-call costs of {@code PairIds}
 * ({@code MessageDigest.getInstance}, hex-encoding the whole digest, substring): one digest per
 * thread, and only the bytes that are used. Results are identical to {@code PairIds.pairId} and to
 * parsing the first 13 hex digits of {@code PairIds.sha256Hex} (VotingTest checks both).
 */
public final class Sha256 {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  });

  private Sha256() {}

  /** The same as {@code PairIds.pairId(prompt, sha256A, sha256B)}: the first 16 digest bytes in hex. */
  public static String pairId(String prompt, String sha256A, String sha256B) {
    String lo = sha256A.compareTo(sha256B) <= 0 ? sha256A : sha256B;
    String hi = lo == sha256A ? sha256B : sha256A;
    byte[] d = digest((prompt + '\u0000' + lo + '\u0000' + hi).getBytes(StandardCharsets.UTF_8));
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[2 * i] = HEX[(d[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[d[i] & 0xf];
    }
    return new String(out);
  }

  /** The first 52 bits of SHA-256(UTF-8 of {@code s}) as a non-negative long. */
  public static long first52Bits(String s) {
    byte[] d = digest(s.getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 7; i++) {
      v = (v << 8) | (d[i] & 0xff);
    }
    return v >>> 4;
  }

  private static byte[] digest(byte[] bytes) {
    MessageDigest md = DIGEST.get();
    md.reset();
    return md.digest(bytes);
  }
}
