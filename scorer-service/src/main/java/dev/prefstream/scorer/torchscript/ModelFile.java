package dev.prefstream.scorer.torchscript;

import dev.prefstream.core.model.ModelIntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A model file (TorchScript module, tokenizer) with the SHA-256 it must have. Verification reads the
 * whole file; load from the path right after, from storage the service does not let others write.
 *
 * @param path the file
 * @param sha256 the expected digest, 64 hex digits (stored lower case)
 */
public record ModelFile(Path path, String sha256) {
  private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

  public ModelFile {
    sha256 = sha256.trim().toLowerCase(Locale.ROOT);
    if (!HEX_64.matcher(sha256).matches()) {
      throw new IllegalArgumentException("expected SHA-256 of " + path + " must be 64 hex digits: '"
          + sha256 + "'");
    }
  }

  /**
   * Checks the file's digest and returns its path.
   *
   * @throws ModelIntegrityException if the content differs from the expected digest
   * @throws IOException if the file cannot be read
   */
  public Path verify() throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      check(digest(in));
    }
    return path;
  }

  /** Reads the whole (small) file, checks its digest, and returns the verified bytes. */
  public byte[] readVerified() throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    check(newDigest().digest(bytes));
    return bytes;
  }

  /** The SHA-256 of a file as 64 lower-case hex digits. */
  public static String digestOf(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return HexFormat.of().formatHex(digest(in));
    }
  }

  private void check(byte[] actual) {
    String hex = HexFormat.of().formatHex(actual);
    if (!hex.equals(sha256)) {
      throw new ModelIntegrityException("refusing to load " + path + ": its SHA-256 is " + hex
          + " but " + sha256 + " is expected (file replaced, corrupt, or descriptor out of date)");
    }
  }

  private static byte[] digest(InputStream in) throws IOException {
    MessageDigest md = newDigest();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return md.digest();
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
