package dev.prefstream.scorer.torchscript;

/** A model file's content does not match the SHA-256 its descriptor expects; it was not loaded. */
public class ModelIntegrityException extends RuntimeException {
  public ModelIntegrityException(String message) {
    super(message);
  }
}
