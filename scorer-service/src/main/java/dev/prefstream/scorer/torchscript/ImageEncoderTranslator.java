package dev.prefstream.scorer.torchscript;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.prefstream.core.image.RgbImage;
import java.util.List;

/**
 * Feeds a batch of images, preprocessed, as one float tensor (B, 3, S, S) to an image encoder and
 * returns its (B, D) output as rows.
 */
final class ImageEncoderTranslator implements NoBatchifyTranslator<List<RgbImage>, float[][]> {
  private final ImagePreprocessor preprocessor;

  ImageEncoderTranslator(ImagePreprocessor preprocessor) {
    this.preprocessor = preprocessor;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, List<RgbImage> images) {
    int len = preprocessor.length();
    float[] batch = new float[images.size() * len];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(preprocessor.apply(images.get(i)), 0, batch, i * len, len);
    }
    int s = preprocessor.size();
    ctx.setAttachment("batch", images.size());
    return new NDList(ctx.getNDManager().create(batch, new Shape(images.size(), 3, s, s)));
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
    return Embeddings.rows(outputs, (Integer) ctx.getAttachment("batch"));
  }
}
