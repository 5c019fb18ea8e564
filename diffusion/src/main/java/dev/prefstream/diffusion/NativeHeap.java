package dev.prefstream.diffusion;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Returns memory that libtorch has freed to the operating system. glibc raises its mmap threshold
 * after the first multi-megabyte tensor is freed, so later tensors come from arenas it keeps mapped:
 * resident memory then grows by hundreds of megabytes over the first few hundred training steps
 * although live tensors stay constant (diffusion/README.md). {@code malloc_trim(0)} hands the free
 * pages back; on a C library without it this does nothing.
 */
public final class NativeHeap {
  private static final Function TRIM = lookup();

  private NativeHeap() {}

  private static Function lookup() {
    try {
      return NativeLibrary.getInstance("c").getFunction("malloc_trim");
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** Releases free native heap pages; true when the C library released any. */
  public static boolean trim() {
    if (TRIM == null) {
      return false;
    }
    try {
      return TRIM.invokeInt(new Object[] {0}) == 1;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
