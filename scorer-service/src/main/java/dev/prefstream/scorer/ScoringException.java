package dev.prefstream.scorer;

/** A scorer failed on a batch (model error, unexpected output shape, ...). */
public class ScoringException extends RuntimeException {
  public ScoringException(String message, Throwable cause) {
    super(message, cause);
  }

  public ScoringException(String message) {
    super(message);
  }
}
