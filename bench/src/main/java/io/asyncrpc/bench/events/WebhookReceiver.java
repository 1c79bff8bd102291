package io.asyncrpc.bench.events;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.asyncrpc.testsupport.WebhookSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A webhook endpoint on loopback (JDK HttpServer, a virtual thread per request) that checks each
 * delivery's Standard Webhooks signature ({@code v1,} base64 HMAC-SHA256 of {@code
 * id.timestamp.body}, keyed with the {@code whsec_} secret's bytes) and answers 204; a delivery
 * whose signature does not verify is answered 401 and counted.
 */
final class WebhookReceiver implements AutoCloseable {

  /** Called for each verified delivery, on the request's thread. */
  @FunctionalInterface
  interface Listener {
    void delivered(String messageId, String body, long receivedEpochMicros);
  }

  private final HttpServer server;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final LongAdder verified = new LongAdder();
  private final LongAdder badSignatures = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final AtomicReference<@Nullable String> firstBad = new AtomicReference<>();
  // Set once the endpoint is created (its URL comes first); until then nothing verifies.
  private volatile @Nullable String secret;
  private volatile Listener listener = (id, body, at) -> {};

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/hook", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  void secret(String whsec) {
    secret = whsec;
  }

  void listener(Listener listener) {
    this.listener = listener;
  }

  long verified() {
    return verified.sum();
  }

  long badSignatures() {
    return badSignatures.sum();
  }

  long duplicates() {
    return duplicates.sum();
  }

  @Nullable String firstBad() {
    return firstBad.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long at = EventStreams.epochMicros();
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String id = exchange.getRequestHeaders().getFirst("webhook-id");
    String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
    String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
    int status;
    if (verifies(id, timestamp, signatures, body)) {
      status = 204;
      verified.increment();
      if (!seen.add(id)) {
        duplicates.increment();
      } else {
        listener.delivered(id, body, at);
      }
    } else {
      status = 401;
      badSignatures.increment();
      firstBad.compareAndSet(null, "id " + id + ", signature " + signatures);
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private boolean verifies(String id, String timestamp, String signatures, String body) {
    return WebhookSignatures.verifies(secret, id, timestamp, signatures, body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
