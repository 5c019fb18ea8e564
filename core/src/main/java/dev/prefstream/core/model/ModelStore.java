package dev.prefstream.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prefstream.schemas.PairIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory tree of model versions and training checkpoints:
 * {@code <root>/<model>/v<N>/} and {@code <root>/<model>/checkpoints/step-<S>/}, each holding the
 * parameter files and a {@code manifest.json} with their digests. Writing is atomic: files go to a
 * staging directory, are flushed to disk, the manifest is written last, and the directory is renamed
 * into place, so a reader never sees half a version, and a version number is never reused. Reading
 * verifies every digest before a caller touches the files.
 */
public final class ModelStore {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern VERSION_DIR = Pattern.compile("v(\\d+)");
  private static final Pattern CHECKPOINT_DIR = Pattern.compile("step-(\\d+)");
  private static final String MANIFEST = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final Path root;

  public ModelStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create model store " + root, e);
    }
  }

  public Path root() {
    return root;
  }

  /** Writes the files of an entry into the staging directory it is given. */
  @FunctionalInterface
  public interface FileWriter {
    void write(Path dir) throws IOException;
  }

  /** A stored, verified entry: its manifest, its directory and the manifest's own digest. */
  public record Stored(Manifest manifest, Path dir, String manifestSha256) {
    public Path file(String name) {
      return dir.resolve(checkName(name));
    }

    /** The directory relative to the store root, as published in {@code ModelVersion.location}. */
    public String location(Path storeRoot) {
      return storeRoot.relativize(dir).toString();
    }
  }

  /** Publishes version {@code draft.version()} of {@code draft.model()}; refuses a number already used. */
  public Stored publishVersion(Manifest draft, FileWriter writer) {
    return commit(draft, writer, modelDir(draft.model()).resolve("v" + draft.version()));
  }

  /** Saves a training checkpoint at {@code draft.step()}. */
  public Stored saveCheckpoint(Manifest draft, FileWriter writer) {
    return commit(draft, writer, modelDir(draft.model()).resolve("checkpoints").resolve("step-" + draft.step()));
  }

  public OptionalInt latestVersion(String model) {
    return numbered(modelDir(model), VERSION_DIR).stream().mapToInt(Long::intValue).max();
  }

  public List<Integer> versions(String model) {
    return numbered(modelDir(model), VERSION_DIR).stream().map(Long::intValue).sorted().toList();
  }

  /** Loads and verifies a version. */
  public Stored version(String model, int version) {
    return open(modelDir(model).resolve("v" + version));
  }

  /** The newest checkpoint that verifies; a damaged newer one is skipped. */
  public java.util.Optional<Stored> latestCheckpoint(String model) {
    List<Long> steps = numbered(modelDir(model).resolve("checkpoints"), CHECKPOINT_DIR);
    steps.sort(Comparator.reverseOrder());
    for (long s : steps) {
      try {
        return java.util.Optional.of(open(modelDir(model).resolve("checkpoints").resolve("step-" + s)));
      } catch (ModelIntegrityException e) {
        org.slf4j.LoggerFactory.getLogger(ModelStore.class).warn("skipping checkpoint step-{}: {}", s, e.getMessage());
      }
    }
    return java.util.Optional.empty();
  }

  /** Deletes all but the newest {@code keep} checkpoints. */
  public void pruneCheckpoints(String model, int keep) {
    List<Long> steps = numbered(modelDir(model).resolve("checkpoints"), CHECKPOINT_DIR);
    steps.sort(Comparator.reverseOrder());
    for (int i = keep; i < steps.size(); i++) {
      deleteTree(modelDir(model).resolve("checkpoints").resolve("step-" + steps.get(i)));
    }
  }

  /**
   * Deletes the staging directories a writer of {@code model} left when it was killed mid-write
   * (versions and checkpoints); returns how many. Only the model's single writer may call this, when
   * it starts: a staging directory of a live writer would go too.
   */
  public int removeStaging(String model) {
    int removed = 0;
    for (Path dir : List.of(modelDir(model), modelDir(model).resolve("checkpoints"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path p : entries.filter(e -> e.getFileName().toString().startsWith(".staging-")).toList()) {
          deleteTree(p);
          removed++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
    return removed;
  }

  /** Reads the manifest at {@code dir} and verifies every listed file's digest. */
  public Stored open(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    if (!d.startsWith(root)) {
      throw new ModelIntegrityException(dir + " is outside the model store " + root);
    }
    try {
      byte[] raw = Files.readAllBytes(d.resolve(MANIFEST));
      Manifest m = JSON.readValue(raw, Manifest.class);
      for (Map.Entry<String, String> f : m.files().entrySet()) {
        Path file = d.resolve(checkName(f.getKey()));
        String actual = sha256(file);
        if (!actual.equals(f.getValue())) {
          throw new ModelIntegrityException(file + ": sha256 " + actual + " does not match the manifest's " + f.getValue());
        }
      }
      return new Stored(m, d, PairIds.sha256Hex(raw));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ModelIntegrityException("missing " + e.getFile());
    } catch (IOException e) {
      throw new ModelIntegrityException("cannot read " + d + ": " + e.getMessage());
    }
  }

  private Stored commit(Manifest draft, FileWriter writer, Path target) {
    Path parent = target.getParent();
    Path staging = null;
    try {
      if (Files.exists(target)) {
        throw new IllegalStateException(target + " already exists: a number is never reused");
      }
      Files.createDirectories(parent);
      staging = Files.createDirectory(parent.resolve(".staging-" + target.getFileName() + "-" + UUID.randomUUID()));
      writer.write(staging);
      Map<String, String> digests = new TreeMap<>();
      try (Stream<Path> files = Files.list(staging)) {
        for (Path f : files.sorted().toList()) {
          if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("model entries hold plain files only, found " + f.getFileName());
          }
          fsync(f);
          digests.put(checkName(f.getFileName().toString()), sha256(f));
        }
      }
      Manifest m = draft.withFiles(digests, System.currentTimeMillis());
      Path manifest = staging.resolve(MANIFEST);
      Files.write(manifest, JSON.writeValueAsBytes(m));
      fsync(manifest);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staging, target);
      }
      staging = null;
      fsyncDir(parent);
      return open(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    } finally {
      if (staging != null) {
        deleteTree(staging);
      }
    }
  }

  private Path modelDir(String model) {
    return root.resolve(checkName(model));
  }

  static String checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid name '" + name + "' (letters, digits, . _ - only)");
    }
    return name;
  }

  private static List<Long> numbered(Path dir, Pattern pattern) {
    List<Long> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> {
        Matcher m = pattern.matcher(p.getFileName().toString());
        if (m.matches() && Files.exists(p.resolve(MANIFEST))) {
          out.add(Long.parseLong(m.group(1)));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String sha256(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static void fsyncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot sync a directory; the rename itself is still atomic
    }
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover staging directory is ignored by readers
    }
  }
}
