package io.asyncrpc.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads a service's actuator over HTTP as an orchestrator or Prometheus would: health groups and
 * the Prometheus text exposition.
 */
public final class ActuatorClient {

  /** One HTTP answer. */
  public record Answer(int status, String body) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  /** A client of the service at {@code baseUrl}, e.g. {@code http://127.0.0.1:8081}. */
  public ActuatorClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** {@code GET /actuator/<path>}. */
  public Answer get(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/" + path))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The sum of the samples of {@code name} (Prometheus spelling, e.g. {@code
   * iot_task_transitions_total}) whose labels include all of {@code labels}; 0 when there is none.
   */
  public double sample(String name, Map<String, String> labels) {
    return PrometheusText.sum(get("prometheus").body(), name, labels);
  }

  /** Parses the Prometheus text format, enough for tests. */
  public static final class PrometheusText {

    private PrometheusText() {}

    /** The sum of the samples of {@code name} carrying every label of {@code labels}. */
    public static double sum(String exposition, String name, Map<String, String> labels) {
      double sum = 0;
      for (String line : exposition.split("\n")) {
        if (line.startsWith("#") || !line.startsWith(name)) {
          continue;
        }
        String rest = line.substring(name.length());
        if (!rest.startsWith("{") && !rest.startsWith(" ")) {
          continue; // a longer name with the same prefix
        }
        int end = rest.startsWith("{") ? rest.indexOf('}') : -1;
        List<String> present = end < 0 ? List.of() : List.of(rest.substring(1, end).split(","));
        boolean matches =
            labels.entrySet().stream()
                .allMatch(e -> present.contains(e.getKey() + "=\"" + e.getValue() + "\""));
        if (matches) {
          String value = rest.substring(end + 1).trim().split("\\s+")[0];
          sum += Double.parseDouble(value);
        }
      }
      return sum;
    }
  }
}
