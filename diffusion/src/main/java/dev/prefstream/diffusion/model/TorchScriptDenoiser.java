package dev.prefstream.diffusion.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A denoiser exported from PyTorch as TorchScript, loaded as a trainable block
 * ({@code trainParam=true}). The module must implement
 * {@code forward(x: Tensor[B,3,S,S], t: Tensor[B] float, tokens: Tensor[B,L] int64) -> Tensor[B,3,S,S]}
 * with token ids from the given tokenizer (0 = padding).
 */
public final class TorchScriptDenoiser implements DenoiserModel {
  private final Path file;
  private final int imageSize;
  private final WordTokenizer tokenizer;
  private final Model model;
  private final Block block;

  private TorchScriptDenoiser(Path file, int imageSize, WordTokenizer tokenizer) throws IOException {
    this.file = file;
    this.imageSize = imageSize;
    this.tokenizer = tokenizer;
    String fileName = file.getFileName().toString();
    String name = fileName.endsWith(".pt") ? fileName.substring(0, fileName.length() - 3) : fileName;
    this.model = Model.newInstance(name, Device.cpu(), "PyTorch");
    try {
      model.load(file.toAbsolutePath().getParent(), name, Map.of("trainParam", "true"));
    } catch (MalformedModelException e) {
      model.close();
      throw new IOException("not a TorchScript module: " + file, e);
    }
    this.block = model.getBlock();
  }

  /** Loads the TorchScript file {@code file} (a {@code .pt}) with trainable parameters. */
  public static TorchScriptDenoiser load(Path file, int imageSize, WordTokenizer tokenizer)
      throws IOException {
    return new TorchScriptDenoiser(file, imageSize, tokenizer);
  }

  @Override
  public NDArray predictNoise(NDArray noised, NDArray timesteps, NDArray tokens, boolean training) {
    ParameterStore store = new ParameterStore(noised.getManager(), false);
    NDArray eps = block.forward(store, new NDList(noised, timesteps, tokens), training).head();
    eps.attach(noised.getManager());
    return eps;
  }

  @Override
  public WordTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public int imageSize() {
    return imageSize;
  }

  @Override
  public ParameterList parameters() {
    return block.getParameters();
  }

  @Override
  public TorchScriptDenoiser copy() {
    try {
      TorchScriptDenoiser copy = new TorchScriptDenoiser(file, imageSize, tokenizer);
      copy.copyParametersFrom(this);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reload " + file, e);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
