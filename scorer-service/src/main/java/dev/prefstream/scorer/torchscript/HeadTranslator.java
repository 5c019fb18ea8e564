package dev.prefstream.scorer.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.prefstream.scorer.ScoringException;

/** Feeds embeddings (B, D) to a scoring head and returns its (B) or (B, 1) output. */
final class HeadTranslator implements NoBatchifyTranslator<float[][], float[]> {

  @Override
  public NDList processInput(TranslatorContext ctx, float[][] embeddings) {
    return new NDList(Embeddings.matrix(ctx.getNDManager(), embeddings));
  }

  @Override
  public float[] processOutput(TranslatorContext ctx, NDList outputs) {
    NDArray out = outputs.head();
    long[] shape = out.getShape().getShape();
    boolean scalarPerRow = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
    if (!scalarPerRow) {
      throw new ScoringException("a scoring head must return (B) or (B, 1), got " + out.getShape());
    }
    return out.toType(DataType.FLOAT32, false).toFloatArray();
  }
}
