package io.asyncrpc.api;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client of the running service, the way a control-center app calls it. */
public final class ApiClient {

  private final RestClient http;
  private final JsonMapper json;

  /** A client without a token: every API call gets 401. */
  public ApiClient(int port, JsonMapper json) {
    this(port, json, null);
  }

  /** A client sending {@code Authorization: Bearer <token>} with every request. */
  public ApiClient(int port, JsonMapper json, @Nullable String token) {
    this.json = json;
    RestClient.Builder builder =
        RestClient.builder()
            .baseUrl("http://127.0.0.1:" + port)
            .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {});
    if (token != null) {
      builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    this.http = builder.build();
  }

  /**
   * One answer.
   *
   * @param status the HTTP status
   * @param headers the response headers
   * @param body the body as JSON, or null when empty or not JSON
   */
  public record Response(int status, HttpHeaders headers, @Nullable JsonNode body) {

    public String text(String field) {
      return body.path(field).asString();
    }

    public String problemType() {
      return text("type");
    }
  }

  public Response post(String path, String body) {
    return post(path, body, Map.of());
  }

  public Response post(String path, String body, Map<String, String> headers) {
    return exchange(HttpMethod.POST, path, body, headers);
  }

  public Response get(String path) {
    return exchange(HttpMethod.GET, path, null, Map.of());
  }

  public Response delete(String path) {
    return exchange(HttpMethod.DELETE, path, null, Map.of());
  }

  public Response exchange(
      HttpMethod method, String path, @Nullable String body, Map<String, String> headers) {
    RestClient.RequestBodySpec spec = http.method(method).uri(path);
    headers.forEach(spec::header);
    if (body != null) {
      if (!headers.containsKey(HttpHeaders.CONTENT_TYPE)) {
        spec.contentType(MediaType.APPLICATION_JSON);
      }
      spec.body(body);
    }
    ResponseEntity<String> entity = spec.retrieve().toEntity(String.class);
    String text = entity.getBody();
    MediaType type = entity.getHeaders().getContentType();
    boolean isJson = type != null && type.getSubtype().endsWith("json");
    JsonNode node = text == null || text.isBlank() || !isJson ? null : json.readTree(text);
    return new Response(entity.getStatusCode().value(), entity.getHeaders(), node);
  }
}
