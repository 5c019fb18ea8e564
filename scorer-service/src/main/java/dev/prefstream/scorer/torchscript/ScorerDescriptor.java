package dev.prefstream.scorer.torchscript;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The properties file that configures a TorchScript scorer: model files with their SHA-256,
 * preprocessing, and scorer settings. Relative paths resolve against the file's directory. A
 * directory given instead of a file means its {@value #DEFAULT_FILE}. Keys nobody read are
 * rejected ({@link #rejectUnusedKeys()}) so a typo fails at start-up instead of being ignored.
 */
public final class ScorerDescriptor {
  /** The descriptor's file name when a directory is given. */
  public static final String DEFAULT_FILE = "scorer.properties";
  private static final String SHA256_SUFFIX = ".sha256";

  private final Path file;
  private final Properties properties;
  private final Set<String> used = new HashSet<>();

  private ScorerDescriptor(Path file, Properties properties) {
    this.file = file;
    this.properties = properties;
  }

  /** Reads a descriptor file, or {@value #DEFAULT_FILE} in a directory. */
  public static ScorerDescriptor load(Path fileOrDirectory) throws IOException {
    Path file = Files.isDirectory(fileOrDirectory)
        ? fileOrDirectory.resolve(DEFAULT_FILE) : fileOrDirectory;
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return new ScorerDescriptor(file.toAbsolutePath().normalize(), properties);
  }

  /** The descriptor file. */
  public Path file() {
    return file;
  }

  /** A model file: the path under {@code key}, the digest under {@code key.sha256}. */
  public ModelFile modelFile(String key) {
    Path path = file.getParent().resolve(required(key)).normalize();
    return new ModelFile(path, required(key + SHA256_SUFFIX));
  }

  /** The image preprocessing under {@code image.size}, {@code image.resize}, mean and std. */
  public ImagePreprocessor imagePreprocessor() {
    return new ImagePreprocessor(intValue("image.size"),
        ResizeFilter.parse(optional("image.resize", "bicubic")),
        floats("image.mean", 3), floats("image.std", 3));
  }

  public String required(String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw invalid(key, "is missing");
    }
    used.add(key);
    return value.trim();
  }

  public String optional(String key, String fallback) {
    return properties.containsKey(key) ? required(key) : fallback;
  }

  public int intValue(String key) {
    try {
      return Integer.parseInt(required(key));
    } catch (NumberFormatException e) {
      throw invalid(key, "is not an integer");
    }
  }

  public double doubleValue(String key, double fallback) {
    try {
      return Double.parseDouble(optional(key, Double.toString(fallback)));
    } catch (NumberFormatException e) {
      throw invalid(key, "is not a number");
    }
  }

  public boolean booleanValue(String key, boolean fallback) {
    String value = optional(key, Boolean.toString(fallback));
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw invalid(key, "is not true or false");
    }
    return Boolean.parseBoolean(value);
  }

  /** Exactly {@code count} comma-separated numbers. */
  public float[] floats(String key, int count) {
    String[] parts = required(key).split(",");
    if (parts.length != count) {
      throw invalid(key, "needs " + count + " comma-separated numbers");
    }
    float[] values = new float[count];
    try {
      for (int i = 0; i < count; i++) {
        values[i] = Float.parseFloat(parts[i].trim());
      }
    } catch (NumberFormatException e) {
      throw invalid(key, "has a value that is not a number");
    }
    return values;
  }

  /** Fails if the descriptor has keys that no accessor read. */
  public void rejectUnusedKeys() {
    Set<String> unused = new TreeSet<>(properties.stringPropertyNames());
    unused.removeAll(used);
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException("descriptor " + file + " has unknown keys " + unused);
    }
  }

  /**
   * A short version of what the descriptor configures: a hash of every entry except the paths of
   * digest-pinned files (moving a file does not change scores; its digest entry covers its
   * content). Any change of weights, tokenizer or settings changes it.
   */
  public String fingerprint() {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    Set<String> keys = new TreeSet<>(properties.stringPropertyNames());
    for (String key : keys) {
      if (keys.contains(key + SHA256_SUFFIX)) {
        continue;
      }
      md.update((key + "=" + properties.getProperty(key).trim() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(md.digest()).substring(0, 12);
  }

  private IllegalArgumentException invalid(String key, String problem) {
    return new IllegalArgumentException("descriptor " + file + ": '" + key + "' " + problem);
  }
}
