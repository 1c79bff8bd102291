package io.asyncrpc.mcp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for api-service on a loopback port: answers what a test set for {@code METHOD path}
 * (404 problem otherwise) and records every request it got, with its headers.
 */
public final class StubApi implements AutoCloseable {

  /** One request as the stub saw it. */
  public record Request(
      String method, String pathAndQuery, String authorization, String prefer, String body) {}

  record Answer(int status, String contentType, String body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public StubApi() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getRawPath();
          String query = exchange.getRequestURI().getRawQuery();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  query == null ? path : path + "?" + query,
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("Prefer"),
                  body));
          Answer answer =
              answers.getOrDefault(
                  exchange.getRequestMethod() + " " + path,
                  new Answer(
                      404,
                      "application/problem+json",
                      "{\"title\":\"Not found\",\"status\":404,\"detail\":\"no such thing: "
                          + path
                          + "\"}"));
          byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", answer.contentType());
          exchange.sendResponseHeaders(answer.status(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code METHOD path} with {@code status} and the JSON {@code body}. */
  public StubApi answer(String methodAndPath, int status, String body) {
    answers.put(
        methodAndPath,
        new Answer(status, status >= 400 ? "application/problem+json" : "application/json", body));
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public void reset() {
    answers.clear();
    requests.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
