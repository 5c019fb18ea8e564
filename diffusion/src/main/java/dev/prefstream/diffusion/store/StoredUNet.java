package dev.prefstream.diffusion.store;

import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.model.UNetConfig;
import dev.prefstream.diffusion.model.UNetDenoiser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one convention for built-in UNet files in the model store, shared by every writer (pretraining,
 * the trainer) and reader (trainer, pair generator, relabeler, evaluation): the policy parameters in
 * {@value #PARAMETERS}, the frozen reference it was trained against in {@value #REFERENCE} (so the
 * implicit classifier is rebuilt exactly, even after soft reference updates; a base model has none),
 * the architecture in the manifest's config under {@code unet.*} keys. Loading goes through
 * {@link ModelStore}, which has verified every digest before this reads a byte.
 */
public final class StoredUNet {
  public static final String PARAMETERS = "policy.params";
  public static final String REFERENCE = "reference.params";
  public static final String DEFAULT_MODEL = "unet";

  private StoredUNet() {}

  /** The architecture as manifest config entries. */
  public static Map<String, String> configEntries(UNetConfig c) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("unet.image-size", String.valueOf(c.imageSize()));
    m.put("unet.base-channels", String.valueOf(c.baseChannels()));
    m.put("unet.groups", String.valueOf(c.groups()));
    m.put("unet.word-dim", String.valueOf(c.wordDim()));
    m.put("unet.max-tokens", String.valueOf(c.maxTokens()));
    m.put("unet.vocabulary", String.join(",", c.vocabulary()));
    m.put("unet.prediction", c.prediction().configName());
    m.put("unet.prompt-encoder", c.promptEncoder().configName());
    return m;
  }

  /** The architecture recorded in a manifest. */
  public static UNetConfig config(Manifest m) {
    Map<String, String> c = m.config();
    try {
      return new UNetConfig(Integer.parseInt(c.get("unet.image-size")), Integer.parseInt(c.get("unet.base-channels")),
          Integer.parseInt(c.get("unet.groups")), Integer.parseInt(c.get("unet.word-dim")),
          Arrays.stream(c.get("unet.vocabulary").split(",")).filter(w -> !w.isEmpty()).toList(),
          Integer.parseInt(c.get("unet.max-tokens")),
          // manifests from before v-prediction name none: their networks predict the noise
          UNetConfig.Prediction.fromConfigName(c.getOrDefault("unet.prediction", "eps")),
          UNetConfig.PromptEncoder.fromConfigName(c.getOrDefault("unet.prompt-encoder", "bag-of-words")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("manifest of " + m.model() + " v" + m.version()
          + " lacks a valid unet.* architecture: " + e.getMessage(), e);
    }
  }

  /** Writes the policy parameters into a model-store staging directory (for publishVersion / saveCheckpoint). */
  public static void writeParameters(UNetDenoiser model, Path dir) throws IOException {
    write(model, dir.resolve(PARAMETERS));
  }

  /** Writes the reference parameters beside the policy's. */
  public static void writeReference(UNetDenoiser reference, Path dir) throws IOException {
    write(reference, dir.resolve(REFERENCE));
  }

  private static void write(UNetDenoiser model, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      model.saveParameters(out);
    }
  }

  /**
   * The reference a version was trained against: its own {@value #REFERENCE} file, or, for an
   * entry without one, the policy of the version its manifest names as reference.
   */
  public static UNetDenoiser loadReference(ModelStore store, ModelStore.Stored stored) {
    if (stored.manifest().files().containsKey(REFERENCE)) {
      return load(stored, REFERENCE);
    }
    return load(store.version(stored.manifest().model(), stored.manifest().referenceVersion()));
  }

  /**
   * Builds the network a verified store entry describes and loads its policy parameters. The model comes
   * back frozen (for sampling and scoring); a trainer makes it trainable ({@code DpoTrainer} does).
   */
  public static UNetDenoiser load(ModelStore.Stored stored) {
    return load(stored, PARAMETERS);
  }

  private static UNetDenoiser load(ModelStore.Stored stored, String file) {
    UNetDenoiser model = UNetDenoiser.create(config(stored.manifest()), 0);
    model.setTrainable(false);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(stored.file(file)))) {
      model.loadParameters(in);
      return model;
    } catch (IOException e) {
      model.close();
      throw new UncheckedIOException("cannot load " + stored.dir(), e);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Loads version {@code version} of {@code model} after verifying its digests. */
  public static UNetDenoiser load(ModelStore store, String model, int version) {
    return load(store.version(model, version));
  }
}
