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
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns feed records into replay-buffer entries: decodes the {@code LabeledPair}, resolves its
 * {@link TrainingLabel}, loads both images through the {@link ImageStore} (root confinement, size and
 * digest checks) and stores the pair, held out or not. A record that cannot be used (undecodable, a
 * bad or missing image, an image of the wrong size) becomes a dead letter with its reason and the
 * loop goes on; a pair whose latest label gives nothing to learn is removed from the buffer.
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

  void accept(ConsumerRecord<byte[], byte[]> raw) {
    Feed feed = feedsByTopic.get(raw.topic());
    Decoded<String, LabeledPair> decoded = Decoded.decode(raw, topics.get(feed), deadLetters);
    if (!decoded.ok()) {
      deadLetter(decoded.deadLetter());
      return;
    }
    LabeledPair pair = decoded.value();
    Optional<TrainingLabel> label = TrainingLabel.resolve(pair, feed, config.labelPolicy(), bands);
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
      deadLetter(deadLetters.of(raw, e.reason().code(), e.getMessage()));
    } catch (WrongSize e) {
      deadLetter(deadLetters.of(raw, WRONG_IMAGE_SIZE, e.getMessage()));
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

  private void deadLetter(ProducerRecord<byte[], DeadLetter> letter) {
    deadLetters.send(deadLetterProducer, letter);
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
