package dev.prefstream.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * A small conditional UNet that predicts the noise in a noised image, or v ({@link UNetConfig.Prediction}:
 * {@link UNetDenoiser} turns v into the noise). Inputs: x (B, 3, S, S) float32,
 * t (B) float32 timesteps, tokens (B, L) int64 word ids. Three levels (S, S/2, S/4) with c, 2c, 4c
 * channels; a sinusoidal timestep embedding plus an embedding of the prompt's words modulate every
 * residual block through FiLM. The prompt embedding reads the word slots in order (or, for models
 * published before, their mean: {@link UNetConfig.PromptEncoder}); padding contributes nothing, so an
 * all-padding prompt is the null conditioning.
 */
public final class ConditionalUNet extends AbstractBlock {
  private static final int SINUSOID_DIM = 64;

  private final UNetConfig config;
  private final int vocabularySize;
  private final int embDim;
  private final Linear time1;
  private final Linear time2;
  private final Linear words;
  private final Linear prompt1;
  private final Linear prompt2;
  private final Conv2d in;
  private final ResBlock down1;
  private final Conv2d pool1;
  private final ResBlock down2;
  private final Conv2d pool2;
  private final ResBlock down3;
  private final ResBlock middle;
  private final ResBlock up3;
  private final Conv2d upsample3;
  private final ResBlock up2;
  private final Conv2d upsample2;
  private final ResBlock up1;
  private final GroupNorm outNorm;
  private final Conv2d out;

  public ConditionalUNet(UNetConfig config) {
    this.config = config;
    this.vocabularySize = config.tokenizer().vocabularySize();
    int c = config.baseChannels();
    int g = config.groups();
    embDim = 4 * c;
    time1 = addChildBlock("time1", Linear.builder().setUnits(embDim).build());
    time2 = addChildBlock("time2", Linear.builder().setUnits(embDim).build());
    words = addChildBlock("words", Linear.builder().setUnits(config.wordDim()).optBias(false).build());
    prompt1 = addChildBlock("prompt1", Linear.builder().setUnits(embDim).build());
    prompt2 = addChildBlock("prompt2", Linear.builder().setUnits(embDim).build());
    in = addChildBlock("in", conv(c, 3, 1));
    down1 = addChildBlock("down1", new ResBlock(c, c, g));
    pool1 = addChildBlock("pool1", conv(c, 3, 2));
    down2 = addChildBlock("down2", new ResBlock(c, 2 * c, g));
    pool2 = addChildBlock("pool2", conv(2 * c, 3, 2));
    down3 = addChildBlock("down3", new ResBlock(2 * c, 4 * c, g));
    middle = addChildBlock("middle", new ResBlock(4 * c, 4 * c, g));
    up3 = addChildBlock("up3", new ResBlock(8 * c, 4 * c, g));
    upsample3 = addChildBlock("upsample3", conv(4 * c, 3, 1));
    up2 = addChildBlock("up2", new ResBlock(6 * c, 2 * c, g));
    upsample2 = addChildBlock("upsample2", conv(2 * c, 3, 1));
    up1 = addChildBlock("up1", new ResBlock(3 * c, c, g));
    outNorm = addChildBlock("outNorm", new GroupNorm(g, c));
    out = addChildBlock("out", conv(3, 3, 1));
  }

  static Conv2d conv(int filters, int kernel, int stride) {
    return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).build();
  }

  public UNetConfig config() {
    return config;
  }

  /** Floating-point operations (2 per multiply-add) of one forward pass for one image. */
  public long forwardFlopsPerImage() {
    int c = config.baseChannels();
    long p1 = (long) config.imageSize() * config.imageSize();
    long p2 = p1 / 4;
    long p3 = p1 / 16;
    long slots = ordered() ? config.maxTokens() : 1;
    long embeddings = 2L * (SINUSOID_DIM * embDim + 2L * embDim * embDim
        + slots * vocabularySize * config.wordDim() + slots * config.wordDim() * embDim);
    return embeddings + convFlops(3, c, p1) + down1.flops(p1, embDim) + convFlops(c, c, p2)
        + down2.flops(p2, embDim) + convFlops(2 * c, 2 * c, p3) + down3.flops(p3, embDim)
        + middle.flops(p3, embDim) + up3.flops(p3, embDim) + convFlops(4 * c, 4 * c, p2)
        + up2.flops(p2, embDim) + convFlops(2 * c, 2 * c, p1) + up1.flops(p1, embDim)
        + convFlops(c, 3, p1);
  }

  private static long convFlops(int inChannels, int outChannels, long outPixels) {
    return 2L * 9 * inChannels * outChannels * outPixels;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray emb = apply(time2, store, training,
        ResBlock.silu(apply(time1, store, training, sinusoidal(inputs.get(1)))));
    NDArray prompt = ordered() ? orderedWords(store, training, inputs.get(2))
        : apply(words, store, training, meanBagOfWords(inputs.get(2)));
    emb = emb.add(apply(prompt2, store, training,
        ResBlock.silu(apply(prompt1, store, training, prompt))));

    NDArray s1 = apply(down1, store, training, apply(in, store, training, x), emb);
    NDArray s2 = apply(down2, store, training, apply(pool1, store, training, s1), emb);
    NDArray s3 = apply(down3, store, training, apply(pool2, store, training, s2), emb);
    NDArray h = apply(middle, store, training, s3, emb);
    h = apply(up3, store, training, h.concat(s3, 1), emb);
    h = apply(upsample3, store, training, upsample(h));
    h = apply(up2, store, training, h.concat(s2, 1), emb);
    h = apply(upsample2, store, training, upsample(h));
    h = apply(up1, store, training, h.concat(s1, 1), emb);
    h = ResBlock.silu(apply(outNorm, store, training, h));
    return new NDList(apply(out, store, training, h));
  }

  private boolean ordered() {
    return config.promptEncoder() == UNetConfig.PromptEncoder.ORDERED;
  }

  /** (B, L) ids -> (B, L * wordDim): each slot's word embedding in order, zeros for padding. */
  private NDArray orderedWords(ParameterStore store, boolean training, NDArray tokens) {
    long b = tokens.getShape().get(0);
    NDArray slots = oneHotWithoutPadding(tokens).reshape(-1, vocabularySize);
    return apply(words, store, training, slots).reshape(b, -1);
  }

  /** (B, L) ids -> (B, V) word frequencies with padding dropped; all zeros for the null prompt. */
  private NDArray meanBagOfWords(NDArray tokens) {
    NDArray counts = oneHotWithoutPadding(tokens).sum(new int[] {1});
    return counts.div(counts.sum(new int[] {1}, true).maximum(1f));
  }

  /** (B, L) ids -> (B, L, V) one-hot rows, all zeros where the slot is padding. */
  private NDArray oneHotWithoutPadding(NDArray tokens) {
    float[] keep = new float[vocabularySize];
    Arrays.fill(keep, 1f);
    keep[WordTokenizer.PAD] = 0f;
    return tokens.oneHot(vocabularySize).mul(tokens.getManager().create(keep, new Shape(1, 1, vocabularySize)));
  }

  private static NDArray sinusoidal(NDArray t) {
    int half = SINUSOID_DIM / 2;
    NDArray freqs = t.getManager().arange(0f, half).mul(-Math.log(10000.0) / half).exp();
    NDArray args = t.reshape(-1, 1).mul(freqs.reshape(1, half));
    return args.sin().concat(args.cos(), 1);
  }

  private static NDArray upsample(NDArray x) {
    Shape s = x.getShape();
    return x.getNDArrayInternal().interpolation(new long[] {s.get(2) * 2, s.get(3) * 2}, 0, false);
  }

  private static NDArray apply(Block block, ParameterStore store, boolean training, NDArray... xs) {
    return block.forward(store, new NDList(xs), training).head();
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    long s1 = config.imageSize();
    long s2 = s1 / 2;
    long s3 = s1 / 4;
    int c = config.baseChannels();
    Shape embShape = new Shape(b, embDim);
    time1.initialize(manager, type, new Shape(b, SINUSOID_DIM));
    time2.initialize(manager, type, embShape);
    words.initialize(manager, type, new Shape(b, vocabularySize));
    prompt1.initialize(manager, type, new Shape(b, (ordered() ? config.maxTokens() : 1L) * config.wordDim()));
    prompt2.initialize(manager, type, embShape);
    in.initialize(manager, type, new Shape(b, 3, s1, s1));
    down1.initialize(manager, type, new Shape(b, c, s1, s1), embShape);
    pool1.initialize(manager, type, new Shape(b, c, s1, s1));
    down2.initialize(manager, type, new Shape(b, c, s2, s2), embShape);
    pool2.initialize(manager, type, new Shape(b, 2 * c, s2, s2));
    down3.initialize(manager, type, new Shape(b, 2 * c, s3, s3), embShape);
    middle.initialize(manager, type, new Shape(b, 4 * c, s3, s3), embShape);
    up3.initialize(manager, type, new Shape(b, 8 * c, s3, s3), embShape);
    upsample3.initialize(manager, type, new Shape(b, 4 * c, s2, s2));
    up2.initialize(manager, type, new Shape(b, 6 * c, s2, s2), embShape);
    upsample2.initialize(manager, type, new Shape(b, 2 * c, s1, s1));
    up1.initialize(manager, type, new Shape(b, 3 * c, s1, s1), embShape);
    outNorm.initialize(manager, type, new Shape(b, c, s1, s1));
    out.initialize(manager, type, new Shape(b, c, s1, s1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
