package dev.prefstream.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prefstream.core.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between {@link RgbImage} (values in [0, 1]) and the model's image space: a float32 batch
 * (B, 3, H, W) with values in [-1, 1].
 */
public final class ImageTensors {
  private ImageTensors() {}

  /** Stacks same-size images into a (B, 3, H, W) array in [-1, 1]. */
  public static NDArray toModelSpace(NDManager manager, List<RgbImage> images) {
    RgbImage first = images.get(0);
    int plane = 3 * first.width() * first.height();
    float[] data = new float[images.size() * plane];
    for (int i = 0; i < images.size(); i++) {
      RgbImage image = images.get(i);
      if (image.width() != first.width() || image.height() != first.height()) {
        throw new IllegalArgumentException("images differ in size: " + first + " and " + image);
      }
      float[] chw = image.chw();
      for (int j = 0; j < plane; j++) {
        data[i * plane + j] = 2f * chw[j] - 1f;
      }
    }
    return manager.create(data, new Shape(images.size(), 3, first.height(), first.width()));
  }

  /** Turns a (B, 3, H, W) array in [-1, 1] into images, clipping to [0, 1]. */
  public static List<RgbImage> fromModelSpace(NDArray batch) {
    Shape shape = batch.getShape();
    int height = (int) shape.get(2);
    int width = (int) shape.get(3);
    int plane = 3 * width * height;
    float[] data = batch.toFloatArray();
    List<RgbImage> images = new ArrayList<>();
    for (int i = 0; i < shape.get(0); i++) {
      float[] chw = new float[plane];
      for (int j = 0; j < plane; j++) {
        chw[j] = Math.max(0f, Math.min(1f, (data[i * plane + j] + 1f) / 2f));
      }
      images.add(new RgbImage(width, height, chw));
    }
    return images;
  }
}
