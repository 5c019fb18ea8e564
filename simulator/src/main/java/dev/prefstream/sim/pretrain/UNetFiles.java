package dev.prefstream.sim.pretrain;

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
 * How a built-in UNet version lies in the model store, the same layout the trainer writes: the
 * parameters in {@value #PARAMETERS} and the architecture in the manifest's config under
 * {@code unet.*} (image size, channels, groups, word width, token count and the comma-separated
 * vocabulary).
 */
public final class UNetFiles {
  /** The parameter file of a version. */
  public static final String PARAMETERS = "policy.params";

  private UNetFiles() {}

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

  /** The architecture {@link #describe} recorded. */
  public static UNetConfig config(Map<String, String> manifestConfig) {
    String vocabulary = manifestConfig.getOrDefault("unet.vocabulary", "");
    return new UNetConfig(integer(manifestConfig, "unet.image-size"), integer(manifestConfig, "unet.base-channels"),
        integer(manifestConfig, "unet.groups"), integer(manifestConfig, "unet.word-dim"),
        vocabulary.isEmpty() ? List.of() : List.of(vocabulary.split(",")),
        integer(manifestConfig, "unet.max-tokens"));
  }

  /** Writes the model's parameters into a store staging directory. */
  public static void write(Path dir, DenoiserModel model) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(PARAMETERS)))) {
      model.saveParameters(out);
    }
  }

  /**
   * A UNet with a verified stored version's architecture and parameters, frozen (call
   * {@code setTrainable(true)} to train it; the trainers do); the caller closes it.
   */
  public static UNetDenoiser load(ModelStore.Stored stored) {
    UNetDenoiser model = UNetDenoiser.create(config(stored.manifest().config()), 0);
    // Frozen first: on a thread where libtorch's grad mode is on (any thread that never closed a
    // gradient collector), writing into a leaf that requires grad in place is refused.
    model.setTrainable(false);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(stored.file(PARAMETERS)))) {
      model.loadParameters(in);
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e instanceof IOException io ? new UncheckedIOException("cannot load " + stored.dir(), io)
          : (RuntimeException) e;
    }
  }

  private static int integer(Map<String, String> config, String key) {
    String v = config.get(key);
    if (v == null) {
      throw new IllegalArgumentException("the manifest does not describe the UNet: missing " + key);
    }
    return Integer.parseInt(v);
  }
}
