package dev.prefstream.labeler.state;

import dev.prefstream.labeler.voting.Reliability;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Two longs (agree, votes) for the {@code scorer-reliability} store. */
public final class ReliabilitySerde implements Serde<Reliability> {
  @Override
  public Serializer<Reliability> serializer() {
    return (topic, r) -> r == null ? null : ByteBuffer.allocate(16).putLong(r.agree()).putLong(r.votes()).array();
  }

  @Override
  public Deserializer<Reliability> deserializer() {
    return (topic, b) -> {
      if (b == null) {
        return null;
      }
      ByteBuffer buf = ByteBuffer.wrap(b);
      return new Reliability(buf.getLong(), buf.getLong());
    };
  }
}
