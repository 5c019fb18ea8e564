package dev.prefstream.labeler.state;

import dev.prefstream.avro.AnchorLabel;
import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.avro.Side;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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
 * than Avro because it is encoded and decoded once per vote on the hot path.
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
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      DataOutputStream out = new DataOutputStream(bytes);
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
      out.writeBoolean(p != null);
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
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new SerializationException("cannot encode pair state", e);
    }
  }

  @Override
  public PairState deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new SerializationException("unknown pair state format " + format);
      }
      String prompt = in.readUTF();
      ImageRef a = image(in);
      ImageRef b = image(in);
      int n = in.readInt();
      Map<String, Voter> voters = new LinkedHashMap<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        voters.put(in.readUTF(), new Voter(in.readUTF(), CHOICES[in.readByte()], in.readLong()));
      }
      n = in.readInt();
      List<ScorerScore> scores = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        scores.add(new ScorerScore(in.readUTF(), in.readUTF(), in.readDouble(), in.readDouble()));
      }
      long lastVote = in.readLong();
      Decision decision = new Decision(ROUTES[in.readByte()], SIDES[in.readByte()], SIDES[in.readByte()],
          SIDES[in.readByte()]);
      Side countedHuman = SIDES[in.readByte()];
      n = in.readInt();
      Map<String, Side> counted = new HashMap<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        counted.put(in.readUTF(), SIDES[in.readByte()]);
      }
      Pseudo pseudo = null;
      if (in.readBoolean()) {
        String model = in.readUTF();
        int version = in.readInt();
        Side order = SIDES[in.readByte()];
        n = in.readInt();
        List<AnchorLabel> anchors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          anchors.add(new AnchorLabel(in.readInt(), in.readDouble(), in.readDouble(), in.readInt()));
        }
        pseudo = new Pseudo(model, version, order, anchors);
      }
      int relabeled = in.readInt();
      return new PairState(prompt, a, b, voters, scores, lastVote, decision, countedHuman, counted, pseudo, relabeled);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode pair state (" + data.length + " bytes): " + e, e);
    }
  }

  private static void image(DataOutputStream out, ImageRef r) throws IOException {
    out.writeUTF(r.getUri());
    out.writeUTF(r.getSha256());
    ByteBuffer b = r.getBytes();
    out.writeInt(b == null ? -1 : b.remaining());
    if (b != null) {
      ByteBuffer d = b.duplicate();
      byte[] raw = new byte[d.remaining()];
      d.get(raw);
      out.write(raw);
    }
  }

  private static ImageRef image(DataInputStream in) throws IOException {
    String uri = in.readUTF();
    String sha = in.readUTF();
    int len = in.readInt();
    ByteBuffer bytes = null;
    if (len >= 0) {
      byte[] raw = new byte[len];
      in.readFully(raw);
      bytes = ByteBuffer.wrap(raw);
    }
    return new ImageRef(uri, sha, bytes);
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
