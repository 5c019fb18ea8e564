package dev.prefstream.core.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The one HTTP endpoint of a process: {@code /metrics} (Prometheus text), {@code /health/live} and
 * {@code /health/ready} (200 or 503 with one line per service). A process that runs several
 * services registers them all: it is ready when all are ready, live when all are live.
 */
public final class HttpEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final PrometheusMeterRegistry registry;
  private final List<Service> services = new CopyOnWriteArrayList<>();

  private HttpEndpoint(HttpServer server, PrometheusMeterRegistry registry) {
    this.server = server;
    this.registry = registry;
  }

  /** Binds {@code host:port} (port 0 picks a free one) and starts serving. */
  public static HttpEndpoint start(String host, int port, PrometheusMeterRegistry registry) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
      HttpEndpoint endpoint = new HttpEndpoint(server, registry);
      server.createContext("/metrics", endpoint::metrics);
      server.createContext("/health/live", ex -> endpoint.health(ex, Service::isLive));
      server.createContext("/health/ready", ex -> endpoint.health(ex, Service::isReady));
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
    services.add(service);
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

  private void health(HttpExchange ex, Predicate<Service> check) throws IOException {
    boolean ok = !services.isEmpty() && services.stream().allMatch(check);
    String body = services.isEmpty() ? "no services\n" : services.stream()
        .map(s -> s.name() + " " + (check.test(s) ? "UP" : "DOWN"))
        .collect(Collectors.joining("\n", "", "\n"));
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
