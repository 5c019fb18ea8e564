package dev.prefstream.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.ImageRef;
import dev.prefstream.core.image.ImageException.Reason;
import dev.prefstream.schemas.PairIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
  @TempDir
  Path dir;

  private ImageStore store() {
    return new ImageStore(ImageStore.Settings.of(dir.resolve("root")));
  }

  private static RgbImage checker(int size) {
    RgbImage img = RgbImage.blank(size, size);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        img.set((x + y) % 3, y, x, 1f);
      }
    }
    return img;
  }

  private static ImageRef ref(String uri, String sha) {
    return ImageRef.newBuilder().setUri(uri).setSha256(sha).setBytes(null).build();
  }

  private Reason reasonOf(ImageStore store, ImageRef ref) {
    return assertThrows(ImageException.class, () -> store.load(ref)).reason();
  }

  @Test
  void putThenLoadGivesTheSameImage() throws Exception {
    ImageStore store = store();
    RgbImage img = checker(16);
    ImageRef ref = store.put(img);
    assertTrue(ref.getUri().startsWith("file:images/"));
    assertEquals(img, store.load(ref));
    assertEquals(img, store.load(ImageStore.inline(img.toPng())));
  }

  @Test
  void wrongDigestIsRefused() {
    ImageStore store = store();
    ImageRef ref = store.put(checker(8));
    assertEquals(Reason.BAD_DIGEST, reasonOf(store, ref(ref.getUri(), "0".repeat(64))));
  }

  @Test
  void pathsOutsideTheRootsAreRefused() throws Exception {
    ImageStore store = store();
    byte[] png = checker(8).toPng();
    Path outside = dir.resolve("secret.png");
    Files.write(outside, png);
    String sha = PairIds.sha256Hex(png);
    assertEquals(Reason.OUTSIDE_ROOT, reasonOf(store, ref("file:../secret.png", sha)));
    assertEquals(Reason.OUTSIDE_ROOT, reasonOf(store, ref("file:" + outside, sha)));
    assertEquals(Reason.OUTSIDE_ROOT, reasonOf(store, ref("file://" + outside, sha)));
    Files.createSymbolicLink(dir.resolve("root").resolve("link.png"), outside);
    assertEquals(Reason.OUTSIDE_ROOT, reasonOf(store, ref("file:link.png", sha)), "a link leading out is refused");
  }

  @Test
  void missingCorruptAndForeignAreRefusedWithTheirReason() throws Exception {
    ImageStore store = store();
    assertEquals(Reason.MISSING, reasonOf(store, ref("file:images/nope.png", "0".repeat(64))));
    byte[] corrupt = new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2};
    Files.write(dir.resolve("root").resolve("bad.png"), corrupt);
    assertEquals(Reason.UNDECODABLE, reasonOf(store, ref("file:bad.png", PairIds.sha256Hex(corrupt))));
    assertEquals(Reason.HOST_NOT_ALLOWED, reasonOf(store, ref("https://example.invalid/a.png", "0".repeat(64))));
    assertEquals(Reason.BAD_URI, reasonOf(store, ref("ftp://x/a.png", "0".repeat(64))));
  }

  @Test
  void sizeAndPixelLimitsApply() {
    byte[] png = checker(64).toPng();
    ImageStore small = new ImageStore(new ImageStore.Settings(List.of(dir.resolve("root")), Set.of(), 100,
        1 << 20, Duration.ofSeconds(1)));
    assertEquals(Reason.TOO_LARGE, reasonOf(small, ImageStore.inline(png)));
    ImageStore fewPixels = new ImageStore(new ImageStore.Settings(List.of(dir.resolve("root")), Set.of(), 1 << 20,
        64 * 63, Duration.ofSeconds(1)));
    ImageException e = assertThrows(ImageException.class, () -> fewPixels.load(ImageStore.inline(png)));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertTrue(e.getMessage().contains("4096 pixels"), e.getMessage());
  }
}
