package dev.prefstream.trainer;

import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.model.DenoiserModel;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The file layout of a built-in UNet in the model store, shared by versions and checkpoints:
 * {@code policy.params} (the model), {@code reference.params} (the frozen reference it was trained
 * against, so the implicit classifier can be rebuilt exactly even after soft updates), and in
 * checkpoints {@code trainer.state} (optimizer, random generators, step). The architecture is
 * recorded in the manifest's config under {@code unet.*}.
 */
public final class ModelFiles {
  public static final String POLICY = "policy.params";
  public static final String REFERENCE = "reference.params";
  public static final String TRAINER_STATE = "trainer.state";

  private ModelFiles() {}

  /** The architecture as manifest config entries. */
  public static Map<String, String> describe(UNetConfig config) {
    Map<String, String> m = new TreeMap<>();
    m.put("unet.image-size", String.valueOf(config.imageSize()));
    m.put("unet.base-channels", String.valueOf(config.baseChannels()));
    m.put("unet.groups", String.valueOf(config.groups()));
    m.put("unet.word-dim", String.valueOf(config.wordDim()));
    m.put("unet.max-tokens", String.valueOf(config.maxTokens()));
    m.put("unet.vocabulary", String.join(",", config.vocabulary()));
    return m;
  }

  /** The architecture recorded by {@link #describe}. */
  public static UNetConfig unetConfig(Map<String, String> manifestConfig) {
    String vocabulary = manifestConfig.getOrDefault("unet.vocabulary", "");
    return new UNetConfig(
        integer(manifestConfig, "unet.image-size"),
        integer(manifestConfig, "unet.base-channels"),
        integer(manifestConfig, "unet.groups"),
        integer(manifestConfig, "unet.word-dim"),
        vocabulary.isEmpty() ? List.of() : List.of(vocabulary.split(",")),
        integer(manifestConfig, "unet.max-tokens"));
  }

  private static int integer(Map<String, String> config, String key) {
    String v = config.get(key);
    if (v == null) {
      throw new IllegalArgumentException("the manifest does not describe the UNet: missing " + key);
    }
    return Integer.parseInt(v);
  }

  /** Writes a model's parameters as {@code name} into a store staging directory. */
  public static void writeParameters(Path dir, String name, DenoiserModel model) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(name)))) {
      model.saveParameters(out);
    }
  }

  /** A UNet with the stored entry's architecture and the parameters of its file {@code name}. */
  public static UNetDenoiser loadUNet(ModelStore.Stored stored, String name) {
    UNetDenoiser model = UNetDenoiser.create(unetConfig(stored.manifest().config()), 0);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(stored.file(name)))) {
      model.loadParameters(in);
      return model;
    } catch (IOException e) {
      model.close();
      throw new UncheckedIOException("cannot load " + name + " of " + stored.dir(), e);
    }
  }
}
