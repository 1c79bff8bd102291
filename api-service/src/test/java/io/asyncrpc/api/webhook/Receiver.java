package io.asyncrpc.api.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.asyncrpc.testsupport.WebhookSignatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A webhook receiver for tests: a real HTTP server on loopback that records every request and
 * answers as scripted (200 once the script is used up), and checks signatures the way a receiver
 * would, with nothing of the service's code.
 */
final class Receiver implements AutoCloseable {

  /**
   * One request received.
   *
   * @param at when it arrived
   * @param id its webhook-id
   * @param timestamp its webhook-timestamp
   * @param signature its webhook-signature
   * @param contentType its Content-Type
   * @param body its body
   */
  record Request(
      Instant at, String id, String timestamp, String signature, String contentType, String body) {

    /** Whether one of the signatures verifies with {@code secret} (Standard Webhooks). */
    boolean signedWith(String secret) {
      return WebhookSignatures.verifies(secret, id, timestamp, signature, body);
    }

    /** How many signatures the header carries. */
    int signatures() {
      return signature.split(" ").length;
    }
  }

  /**
   * A scripted answer.
   *
   * @param status the status to answer
   * @param headers headers to add
   * @param delay how long to wait before answering
   */
  record Answer(int status, Map<String, String> headers, Duration delay) {}

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  Receiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  Receiver then(int status) {
    return then(status, Map.of(), Duration.ZERO);
  }

  Receiver then(int status, Map<String, String> headers, Duration delay) {
    script.add(new Answer(status, headers, delay));
    return this;
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** Waits for the {@code n}-th request and returns the first {@code n}. */
  List<Request> await(int n) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> requests.size() >= n);
    return requests().subList(0, n);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    var h = exchange.getRequestHeaders();
    requests.add(
        new Request(
            Instant.now(),
            h.getFirst("webhook-id"),
            h.getFirst("webhook-timestamp"),
            h.getFirst("webhook-signature"),
            h.getFirst("Content-Type"),
            body));
    Answer answer = script.poll();
    if (answer == null) {
      answer = new Answer(200, Map.of(), Duration.ZERO);
    }
    try {
      Thread.sleep(answer.delay());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    exchange.sendResponseHeaders(answer.status(), -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
