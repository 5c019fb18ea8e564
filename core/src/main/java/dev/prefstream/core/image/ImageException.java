package dev.prefstream.core.image;

/** Why an image could not be used; {@link Reason#code()} is the dead-letter reason. */
public final class ImageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Stable reason codes, used in dead letters and metrics. */
  public enum Reason {
    BAD_URI("bad-uri"),
    OUTSIDE_ROOT("outside-root"),
    HOST_NOT_ALLOWED("host-not-allowed"),
    MISSING("missing-image"),
    TOO_LARGE("image-too-large"),
    BAD_DIGEST("bad-digest"),
    UNDECODABLE("undecodable-image");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Reason reason;

  public ImageException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ImageException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
