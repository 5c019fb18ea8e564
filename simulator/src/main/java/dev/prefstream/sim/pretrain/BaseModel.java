package dev.prefstream.sim.pretrain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelIntegrityException;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.schemas.PairIds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shipped base model: the pretrained UNet in this module's resources under {@value #RESOURCE_DIR}
 * ({@value dev.prefstream.diffusion.store.StoredUNet#PARAMETERS} and {@code manifest.json}, produced by {@link Pretrainer}; see the
 * module README for how to reproduce it). {@link #install(ModelStore)} copies it into a model store as
 * version 0, so a fresh clone runs the demo without pretraining first.
 */
public final class BaseModel {
  /** Where the shipped files lie on the class path. */
  public static final String RESOURCE_DIR = "/base-model/";
  private static final String MANIFEST = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private BaseModel() {}

  /** Reads one shipped file by name. */
  @FunctionalInterface
  private interface ShippedFiles {
    byte[] read(String name) throws IOException;
  }

  /**
   * Installs the shipped base model as version 0 of its model (named in its manifest). Every file's
   * SHA-256 is checked against the shipped manifest before anything is written. When the store
   * already holds a version 0 with the same files, that version is returned; a different version 0 is
   * an {@link IllegalStateException} (a store's version 0 is never replaced).
   */
  public static ModelStore.Stored install(ModelStore store) {
    return install(store, BaseModel::readResource);
  }

  /** Installs a base model from a directory laid out like the shipped one (same checks). */
  public static ModelStore.Stored install(ModelStore store, Path dir) {
    return install(store, name -> Files.readAllBytes(dir.resolve(name)));
  }

  /**
   * Loads the shipped weights into {@code model} (same architecture) after checking their SHA-256
   * against the shipped manifest, without a store; returns that digest. A continued pretraining run
   * starts here ({@code pretrain.init=shipped}).
   */
  public static String loadInto(DenoiserModel model) {
    Verified shipped = verify(BaseModel::readResource);
    try {
      model.loadParameters(new ByteArrayInputStream(shipped.contents().get(StoredUNet.PARAMETERS)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the shipped base model", e);
    }
    return shipped.manifest().files().get(StoredUNet.PARAMETERS);
  }

  private static byte[] readResource(String name) throws IOException {
    try (InputStream in = BaseModel.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new NoSuchFileException("class path resource " + RESOURCE_DIR + name);
      }
      return in.readAllBytes();
    }
  }

  /** A manifest and its files' bytes, every digest checked. */
  private record Verified(Manifest manifest, Map<String, byte[]> contents) {}

  private static ModelStore.Stored install(ModelStore store, ShippedFiles files) {
    Verified verified = verify(files);
    Manifest manifest = verified.manifest();
    Map<String, byte[]> contents = verified.contents();
    if (store.versions(manifest.model()).contains(0)) {
      ModelStore.Stored existing = store.version(manifest.model(), 0);
      if (!existing.manifest().files().equals(manifest.files())) {
        throw new IllegalStateException(store.root() + " already holds a different version 0 of " + manifest.model());
      }
      return existing;
    }
    return store.publishVersion(manifest, dir -> {
      for (Map.Entry<String, byte[]> f : contents.entrySet()) {
        Files.write(dir.resolve(f.getKey()), f.getValue());
      }
    });
  }

  private static Verified verify(ShippedFiles files) {
    Manifest manifest;
    Map<String, byte[]> contents = new TreeMap<>();
    try {
      manifest = JSON.readValue(files.read(MANIFEST), Manifest.class);
      if (manifest.version() != 0 || manifest.files().isEmpty()) {
        throw new ModelIntegrityException("the base model manifest must describe version 0 and list its files");
      }
      for (Map.Entry<String, String> f : manifest.files().entrySet()) {
        byte[] bytes = files.read(f.getKey());
        String actual = PairIds.sha256Hex(bytes);
        if (!actual.equals(f.getValue())) {
          throw new ModelIntegrityException("base model file " + f.getKey() + " has sha256 " + actual
              + ", its manifest says " + f.getValue());
        }
        contents.put(f.getKey(), bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the base model", e);
    }
    return new Verified(manifest, contents);
  }
}
