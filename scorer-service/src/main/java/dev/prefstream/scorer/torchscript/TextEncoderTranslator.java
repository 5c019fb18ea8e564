package dev.prefstream.scorer.torchscript;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.prefstream.scorer.ScoringException;
import java.util.List;

/**
 * Tokenizes a batch of prompts, padded and truncated to one length L, and feeds
 * {@code (input_ids, attention_mask)}, both int64 (B, L), to a text encoder; returns its (B, D)
 * output as rows.
 */
final class TextEncoderTranslator implements NoBatchifyTranslator<List<String>, float[][]> {
  private final HuggingFaceTokenizer tokenizer;

  TextEncoderTranslator(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, List<String> prompts) {
    Encoding[] encodings = tokenizer.batchEncode(prompts);
    int length = encodings[0].getIds().length;
    long[] ids = new long[encodings.length * length];
    long[] mask = new long[ids.length];
    for (int i = 0; i < encodings.length; i++) {
      if (encodings[i].getIds().length != length) {
        throw new ScoringException("tokenizer did not pad prompts to one length");
      }
      System.arraycopy(encodings[i].getIds(), 0, ids, i * length, length);
      System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, length);
    }
    ctx.setAttachment("batch", prompts.size());
    NDManager manager = ctx.getNDManager();
    Shape shape = new Shape(prompts.size(), length);
    return new NDList(manager.create(ids, shape), manager.create(mask, shape));
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
    return Embeddings.rows(outputs, (Integer) ctx.getAttachment("batch"));
  }
}
