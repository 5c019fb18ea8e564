package dev.prefstream.trainer;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.Side;
import dev.prefstream.core.image.ImageException;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.core.kafka.Decoded;
import dev.prefstream.diffusion.train.PreferencePair;
import dev.prefstream.diffusion.train.TimestepBands;
import dev.prefstream.schemas.Topic;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;

/**
 * Turns feed records into replay-buffer entries: decodes the {@code LabeledPair} (a tombstone removes
 * the pair), resolves its
 * {@link TrainingLabel}, loads both images through the {@link ImageStore} (root confinement, size and
 * digest checks) and stores the pair, held out or not. A record that cannot be used (undecodable, a
 * bad or missing image, an image of the wrong size) becomes a dead letter with its reason and the
 * loop goes on; a record re-read while rebuilding the buffer after a restart was dead-lettered
 * before the checkpoint and is only counted. A pair whose latest label gives nothing to learn is
 * removed from the buffer.
 */
final class PairIngest {
  static final String WRONG_IMAGE_SIZE = "wrong-image-size";

  private final Map<String, Feed> feedsByTopic;
  private final Map<Feed, Topic<String, LabeledPair>> topics;
  private final TrainerConfig config;
  private final TimestepBands bands;
  private final ImageStore images;
  private final int imageSize;
  private final ReplayBuffer buffer;
  private final DeadLetters deadLetters;
  private final Producer<byte[], DeadLetter> deadLetterProducer;
  private final TrainerMetrics metrics;

  PairIngest(Map<Feed, Topic<String, LabeledPair>> topics, TrainerConfig config, TimestepBands bands,
      ImageStore images, int imageSize, ReplayBuffer buffer, DeadLetters deadLetters,
      Producer<byte[], DeadLetter> deadLetterProducer, TrainerMetrics metrics) {
    this.topics = Map.copyOf(topics);
    this.feedsByTopic = topics.entrySet().stream()
        .collect(Collectors.toUnmodifiableMap(e -> e.getValue().name(), Map.Entry::getKey));
    this.config = config;
    this.bands = bands;
    this.images = images;
    this.imageSize = imageSize;
    this.buffer = buffer;
    this.deadLetters = deadLetters;
    this.deadLetterProducer = deadLetterProducer;
    this.metrics = metrics;
  }

  /** Ingests one record; {@code replayed} when it lies before the offsets of the checkpoint resumed from. */
  void accept(ConsumerRecord<byte[], byte[]> raw, boolean replayed) {
    Topic<String, LabeledPair> topic = topics.get(feedsByTopic.get(raw.topic()));
    LabeledPair pair;
    try {
      pair = topic.valueSerde().deserializer().deserialize(raw.topic(), raw.value());
      if (pair == null) {
        // a tombstone on a compacted feed: the pair is gone
        buffer.remove(topic.keySerde().deserializer().deserialize(raw.topic(), raw.key()));
        metrics.consumed("deleted");
        return;
      }
    } catch (RuntimeException e) {
      reject(raw, Decoded.UNDECODABLE, e.getMessage(), replayed);
      return;
    }
    Optional<TrainingLabel> label = TrainingLabel.resolve(pair, feedsByTopic.get(raw.topic()), bands);
    if (label.isEmpty()) {
      buffer.remove(pair.getPairId());
      metrics.consumed("unlabelled");
      return;
    }
    try {
      RgbImage a = load(pair.getImageA());
      RgbImage b = load(pair.getImageB());
      boolean aWins = label.get().winner() == Side.A;
      PreferencePair preference = aWins ? new PreferencePair(a, b, pair.getPrompt())
          : new PreferencePair(b, a, pair.getPrompt());
      buffer.put(new TrainingPair(pair.getPairId(), preference, label.get().bands()), pair.getHoldout());
      metrics.consumed(pair.getHoldout() ? "holdout" : "buffered");
    } catch (ImageException e) {
      reject(raw, e.reason().code(), e.getMessage(), replayed);
    } catch (WrongSize e) {
      reject(raw, WRONG_IMAGE_SIZE, e.getMessage(), replayed);
    }
  }

  private RgbImage load(ImageRef ref) throws ImageException, WrongSize {
    RgbImage image = images.load(ref);
    if (image.width() != imageSize || image.height() != imageSize) {
      throw new WrongSize(ref.getUri() + " is " + image.width() + "x" + image.height() + ", the model trains on "
          + imageSize + "x" + imageSize);
    }
    return image;
  }

  private void reject(ConsumerRecord<byte[], byte[]> raw, String reason, String message, boolean replayed) {
    if (!replayed) {
      deadLetters.send(deadLetterProducer, deadLetters.of(raw, reason, message));
    }
    metrics.consumed("dead-letter");
  }

  /** An image the model cannot take. */
  private static final class WrongSize extends Exception {
    private static final long serialVersionUID = 1L;

    WrongSize(String message) {
      super(message);
    }
  }
}
