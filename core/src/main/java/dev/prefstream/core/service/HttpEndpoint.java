package dev.prefstream.core.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The one HTTP endpoint of a process: {@code /metrics} (Prometheus text), {@code /health/live} and
 * {@code /health/ready} (200 or 503 with one line per service, saying why it is down). A process that
 * runs several services registers them all; {@link Health} decides.
 */
public final class HttpEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final PrometheusMeterRegistry registry;
  private final Health health;

  private HttpEndpoint(HttpServer server, PrometheusMeterRegistry registry, Health health) {
    this.server = server;
    this.registry = registry;
    this.health = health;
  }

  /** Binds {@code host:port} (port 0 picks a free one) and starts serving; {@code health} decides the answers. */
  public static HttpEndpoint start(String host, int port, PrometheusMeterRegistry registry, Health health) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
      HttpEndpoint endpoint = new HttpEndpoint(server, registry, health);
      server.createContext("/metrics", endpoint::metrics);
      server.createContext("/health/live", ex -> endpoint.health(ex, false));
      server.createContext("/health/ready", ex -> endpoint.health(ex, true));
      server.setExecutor(Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "http-endpoint");
        t.setDaemon(true);
        return t;
      }));
      server.start();
      return endpoint;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
    }
  }

  public void register(Service service) {
    health.register(service);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + port();
  }

  private void metrics(HttpExchange ex) throws IOException {
    byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    reply(ex, 200, body);
  }

  private void health(HttpExchange ex, boolean readiness) throws IOException {
    boolean ok = readiness ? health.ready() : health.live();
    String body = health.report(readiness);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    reply(ex, ok ? 200 : 503, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
