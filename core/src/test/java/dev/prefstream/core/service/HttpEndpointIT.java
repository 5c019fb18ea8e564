package dev.prefstream.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.testing.FixedService;
import dev.prefstream.core.testing.KafkaBroker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBroker.class)
class HttpEndpointIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesKafkaClientMetricsAndRealHealth() throws Exception {
    PrefstreamConfig config = KafkaBroker.freshConfig(1);
    var topics = KafkaBroker.freshTopics(config);
    PrometheusMeterRegistry registry = Metrics.prometheus("it");
    FixedService service = new FixedService("switch");
    service.ready.set(false);
    try (HttpEndpoint endpoint = HttpEndpoint.start("127.0.0.1", 0, registry, Health.from(config, null));
        KafkaClients clients = new KafkaClients(config, registry);
        KafkaProducer<byte[], byte[]> p = clients.producer("metrics-it", new ByteArraySerializer(), new ByteArraySerializer())) {
      endpoint.register(service);
      p.send(new ProducerRecord<>(topics.votesJson().name(), new byte[] {1})).get();

      HttpResponse<String> metrics = get(endpoint, "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("kafka_producer_record_send_total"), "Kafka client metrics are exported");
      assertTrue(metrics.body().contains("application=\"it\""));

      assertEquals(503, get(endpoint, "/health/ready").statusCode(), "not ready until the service says so");
      assertEquals(200, get(endpoint, "/health/live").statusCode());
      service.ready.set(true);
      assertEquals(200, get(endpoint, "/health/ready").statusCode());
      service.live.set(false);
      HttpResponse<String> live = get(endpoint, "/health/live");
      assertEquals(503, live.statusCode());
      assertTrue(live.body().contains("switch DOWN"));
    }
  }

  private HttpResponse<String> get(HttpEndpoint endpoint, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
