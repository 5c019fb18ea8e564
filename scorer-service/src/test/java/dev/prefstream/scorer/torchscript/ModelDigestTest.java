package dev.prefstream.scorer.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.model.ModelIntegrityException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDigestTest {
  @TempDir
  Path tmp;

  @Test
  void tamperedModelIsRefusedBeforeLoading() throws IOException {
    Path dir = TorchScriptFixtures.copyTo(tmp);
    Files.write(dir.resolve("text_encoder.pt"), new byte[] {0}, StandardOpenOption.APPEND);
    ScorerDescriptor descriptor = ScorerDescriptor.load(dir.resolve("embedding.properties"));
    ModelIntegrityException e = assertThrows(ModelIntegrityException.class,
        () -> EmbeddingSimilarityScorerFactory.open("clip", descriptor));
    assertTrue(e.getMessage().contains("text_encoder.pt"), e.getMessage());
    assertTrue(e.getMessage().contains(descriptor.modelFile("text.model").sha256()),
        e.getMessage());
  }

  @Test
  void tamperedTokenizerIsRefused() throws IOException {
    Path dir = TorchScriptFixtures.copyTo(tmp);
    Path tokenizer = dir.resolve("tokenizer.json");
    Files.writeString(tokenizer, Files.readString(tokenizer).replace("\"red\"", "\"rod\""));
    ScorerDescriptor descriptor = ScorerDescriptor.load(dir.resolve("embedding.properties"));
    assertThrows(ModelIntegrityException.class,
        () -> EmbeddingSimilarityScorerFactory.open("clip", descriptor));
  }

  @Test
  void wrongDigestInDescriptorIsRefused() throws IOException {
    Path dir = TorchScriptFixtures.copyTo(tmp);
    Path file = dir.resolve("aesthetic.properties");
    String text = Files.readString(file);
    String good = ScorerDescriptor.load(file).modelFile("head.model").sha256();
    Files.writeString(file, text.replace(good, "0".repeat(64)));
    assertThrows(ModelIntegrityException.class,
        () -> ImageHeadScorerFactory.open("aes", ScorerDescriptor.load(file)));
  }

  @Test
  void modelFileChecksDigestAndFormat() throws IOException {
    Path f = Files.writeString(tmp.resolve("m.bin"), "hello");
    String digest = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    assertEquals(digest, ModelFile.digestOf(f));
    assertEquals(f, new ModelFile(f, digest.toUpperCase()).verify());
    assertThrows(ModelIntegrityException.class,
        () -> new ModelFile(f, digest.replace('2', '3')).readVerified());
    assertThrows(IllegalArgumentException.class, () -> new ModelFile(f, "abc"));
  }

  @Test
  void descriptorWithUnknownKeyIsRefusedBeforeAnyModelLoads() throws IOException {
    Path dir = TorchScriptFixtures.copyTo(tmp);
    Path file = dir.resolve("embedding.properties");
    Files.writeString(file, Files.readString(file) + "\nimage.sise=32\n");
    Files.delete(dir.resolve("image_encoder.pt"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmbeddingSimilarityScorerFactory.open("clip", ScorerDescriptor.load(file)));
    assertTrue(e.getMessage().contains("image.sise"), e.getMessage());
  }

  @Test
  void versionCoversSettingsAndDigestsButNotPaths() throws IOException {
    Path dir = TorchScriptFixtures.copyTo(tmp);
    Path file = dir.resolve("embedding.properties");
    String text = Files.readString(file);
    String base = ScorerDescriptor.load(file).fingerprint();
    Files.writeString(file, text.replace("image.model=image_encoder.pt",
        "image.model=moved/image_encoder.pt"));
    assertEquals(base, ScorerDescriptor.load(file).fingerprint(), "a moved file keeps the version");
    Files.writeString(file, text.replace("scale=100.0", "scale=50"));
    assertNotEquals(base, ScorerDescriptor.load(file).fingerprint(), "a new scale is a new version");
    String digest = ScorerDescriptor.load(file).modelFile("text.model").sha256();
    Files.writeString(file, text.replace(digest, "f".repeat(64)));
    assertNotEquals(base, ScorerDescriptor.load(file).fingerprint(), "new weights, new version");
  }
}
