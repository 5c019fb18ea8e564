package dev.prefstream.labeler.state;

import dev.prefstream.avro.AnchorLabel;
import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.avro.Side;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of {@link PairState} for the {@code pair-tally} store and its changelog. A
 * leading format byte lets a later release read older state; this is format 1. Hand-written rather
 * than Avro because it is encoded and decoded once per vote on the hot path; the byte layout is
 * {@code DataOutputStream}'s (big-endian numbers, {@code writeUTF} strings), written into a plain
 * array rather than through the stream.
 */
public final class PairStateSerde implements Serde<PairState>, Serializer<PairState>, Deserializer<PairState> {
  private static final byte FORMAT = 1;
  private static final Side[] SIDES = Side.values();
  private static final Route[] ROUTES = Route.values();
  private static final Choice[] CHOICES = Choice.values();

  @Override
  public byte[] serialize(String topic, PairState s) {
    if (s == null) {
      return null;
    }
    try {
      Out out = new Out();
      out.writeByte(FORMAT);
      out.writeUTF(s.prompt());
      image(out, s.imageA());
      image(out, s.imageB());
      out.writeInt(s.voters().size());
      for (Map.Entry<String, Voter> e : s.voters().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue().voteId());
        out.writeByte(e.getValue().choice().ordinal());
        out.writeLong(e.getValue().timestamp());
      }
      out.writeInt(s.scores().size());
      for (ScorerScore sc : s.scores()) {
        out.writeUTF(sc.getScorer());
        out.writeUTF(sc.getVersion());
        out.writeDouble(sc.getScoreA());
        out.writeDouble(sc.getScoreB());
      }
      out.writeLong(s.lastVoteTimestamp());
      Decision d = s.decision();
      out.writeByte(d.route().ordinal());
      out.writeByte(d.human().ordinal());
      out.writeByte(d.consensus().ordinal());
      out.writeByte(d.training().ordinal());
      out.writeByte(s.countedHuman().ordinal());
      out.writeInt(s.countedSides().size());
      for (Map.Entry<String, Side> e : s.countedSides().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeByte(e.getValue().ordinal());
      }
      Pseudo p = s.pseudo();
      out.writeByte(p != null ? 1 : 0);
      if (p != null) {
        out.writeUTF(p.modelName());
        out.writeInt(p.version());
        out.writeByte(p.humanOrder().ordinal());
        out.writeInt(p.anchors().size());
        for (AnchorLabel a : p.anchors()) {
          out.writeInt(a.getTimestep());
          out.writeDouble(a.getZ());
          out.writeDouble(a.getThreshold());
          out.writeInt(a.getSign());
        }
      }
      out.writeInt(s.relabeledVersion());
      return out.toByteArray();
    } catch (UTFDataFormatException e) {
      throw new SerializationException("cannot encode pair state", e);
    }
  }

  @Override
  public PairState deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(data);
      byte format = in.get();
      if (format != FORMAT) {
        throw new SerializationException("unknown pair state format " + format);
      }
      String prompt = readUTF(in);
      ImageRef a = image(in);
      ImageRef b = image(in);
      int n = in.getInt();
      Map<String, Voter> voters = new LinkedHashMap<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        voters.put(readUTF(in), new Voter(readUTF(in), CHOICES[in.get()], in.getLong()));
      }
      n = in.getInt();
      List<ScorerScore> scores = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        scores.add(new ScorerScore(readUTF(in), readUTF(in), in.getDouble(), in.getDouble()));
      }
      long lastVote = in.getLong();
      Decision decision = new Decision(ROUTES[in.get()], SIDES[in.get()], SIDES[in.get()], SIDES[in.get()]);
      Side countedHuman = SIDES[in.get()];
      n = in.getInt();
      Map<String, Side> counted = new HashMap<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        counted.put(readUTF(in), SIDES[in.get()]);
      }
      Pseudo pseudo = null;
      if (in.get() != 0) {
        String model = readUTF(in);
        int version = in.getInt();
        Side order = SIDES[in.get()];
        n = in.getInt();
        List<AnchorLabel> anchors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          anchors.add(new AnchorLabel(in.getInt(), in.getDouble(), in.getDouble(), in.getInt()));
        }
        pseudo = new Pseudo(model, version, order, anchors);
      }
      int relabeled = in.getInt();
      return new PairState(prompt, a, b, voters, scores, lastVote, decision, countedHuman, counted, pseudo, relabeled);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode pair state (" + data.length + " bytes): " + e, e);
    }
  }

  private static void image(Out out, ImageRef r) throws UTFDataFormatException {
    out.writeUTF(r.getUri());
    out.writeUTF(r.getSha256());
    ByteBuffer b = r.getBytes();
    out.writeInt(b == null ? -1 : b.remaining());
    if (b != null) {
      out.write(b.duplicate());
    }
  }

  private static ImageRef image(ByteBuffer in) throws IOException {
    String uri = readUTF(in);
    String sha = readUTF(in);
    int len = in.getInt();
    ByteBuffer bytes = null;
    if (len >= 0) {
      byte[] raw = new byte[len];
      in.get(raw);
      bytes = ByteBuffer.wrap(raw);
    }
    return new ImageRef(uri, sha, bytes);
  }

  /** {@link DataInputStream#readUTF}: a two-byte length, then modified UTF-8. */
  private static String readUTF(ByteBuffer in) throws IOException {
    int len = Short.toUnsignedInt(in.getShort());
    byte[] a = in.array();
    int at = in.arrayOffset() + in.position();
    if (len > in.remaining()) {
      throw new EOFException("string of " + len + " bytes, " + in.remaining() + " left");
    }
    for (int i = 0; i < len; i++) {
      if (a[at + i] < 0) {
        // not plain ASCII: let DataInputStream decode it
        String s = new DataInputStream(new ByteArrayInputStream(a, at - 2, len + 2)).readUTF();
        in.position(in.position() + len);
        return s;
      }
    }
    in.position(in.position() + len);
    return new String(a, at, len, StandardCharsets.ISO_8859_1);
  }

  /**
   * A growable big-endian buffer writing exactly what {@link java.io.DataOutputStream} writes, without
   * its per-byte stream calls and synchronized {@code ByteArrayOutputStream}.
   */
  private static final class Out {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf = new byte[512];
    private int n;

    private void ensure(int more) {
      if (n + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
      }
    }

    void writeByte(int v) {
      ensure(1);
      buf[n++] = (byte) v;
    }

    void writeInt(int v) {
      ensure(4);
      INT.set(buf, n, v);
      n += 4;
    }

    void writeLong(long v) {
      ensure(8);
      LONG.set(buf, n, v);
      n += 8;
    }

    void writeDouble(double v) {
      writeLong(Double.doubleToLongBits(v));
    }

    void write(ByteBuffer b) {
      int len = b.remaining();
      ensure(len);
      b.get(buf, n, len);
      n += len;
    }

    /** {@link java.io.DataOutputStream#writeUTF}: a two-byte length, then modified UTF-8. */
    void writeUTF(String s) throws UTFDataFormatException {
      int chars = s.length();
      // ASCII without NUL (ids, digests, URIs, most prompts) is the same bytes in modified UTF-8:
      // one bulk copy instead of the per-character loop below
      if (chars <= 65535 && s.indexOf(0) < 0) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == chars) {
          ensure(2 + chars);
          buf[n++] = (byte) (chars >>> 8);
          buf[n++] = (byte) chars;
          System.arraycopy(utf8, 0, buf, n, chars);
          n += chars;
          return;
        }
      }
      int len = 0;
      for (int i = 0; i < chars; i++) {
        char c = s.charAt(i);
        len += c >= 0x0001 && c <= 0x007F ? 1 : c > 0x07FF ? 3 : 2;
      }
      if (len > 65535) {
        throw new UTFDataFormatException("string too long to encode: " + len + " bytes");
      }
      ensure(2 + len);
      buf[n++] = (byte) (len >>> 8);
      buf[n++] = (byte) len;
      for (int i = 0; i < chars; i++) {
        char c = s.charAt(i);
        if (c >= 0x0001 && c <= 0x007F) {
          buf[n++] = (byte) c;
        } else if (c > 0x07FF) {
          buf[n++] = (byte) (0xE0 | ((c >> 12) & 0x0F));
          buf[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          buf[n++] = (byte) (0x80 | (c & 0x3F));
        } else {
          buf[n++] = (byte) (0xC0 | ((c >> 6) & 0x1F));
          buf[n++] = (byte) (0x80 | (c & 0x3F));
        }
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, n);
    }
  }

  @Override
  public Serializer<PairState> serializer() {
    return this;
  }

  @Override
  public Deserializer<PairState> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // nothing to configure
  }

  @Override
  public void close() {
    // nothing to release
  }
}
