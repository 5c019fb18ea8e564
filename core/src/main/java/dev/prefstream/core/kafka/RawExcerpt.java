package dev.prefstream.core.kafka;

import dev.prefstream.schemas.PairIds;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What a dead letter keeps of a raw key or value: the bytes whole up to {@code limit}, else their
 * first {@code limit} bytes; with the size and SHA-256 of the whole either way, so a cut one still
 * names its original. {@link #NONE} for a missing key or value.
 */
record RawExcerpt(ByteBuffer kept, long size, String sha256, boolean truncated) {
  static final RawExcerpt NONE = new RawExcerpt(null, -1, null, false);

  static RawExcerpt of(byte[] raw, int limit) {
    if (raw == null) {
      return NONE;
    }
    boolean cut = raw.length > limit;
    // a copy, so a kept prefix does not hold the whole array in memory
    ByteBuffer kept = ByteBuffer.wrap(cut ? Arrays.copyOf(raw, limit) : raw);
    return new RawExcerpt(kept, raw.length, PairIds.sha256Hex(raw), cut);
  }
}
