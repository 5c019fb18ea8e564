package dev.prefstream.core.model;

/** A stored model entry is missing a file or a file does not match its manifest digest. */
public final class ModelIntegrityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelIntegrityException(String message) {
    super(message);
  }
}
