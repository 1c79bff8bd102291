package io.asyncrpc.ca;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client of the running ca-service, the way devices and apps call it. */
public final class CaClient {

  private final RestClient http;
  private final JsonMapper json;

  public CaClient(int port, JsonMapper json) {
    this.json = json;
    this.http =
        RestClient.builder()
            .baseUrl("http://127.0.0.1:" + port)
            .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
            .build();
  }

  /**
   * One answer.
   *
   * @param status HTTP status
   * @param headers response headers
   * @param bytes raw body
   * @param body the body as JSON, or null when it is not JSON
   */
  public record Response(int status, HttpHeaders headers, byte[] bytes, @Nullable JsonNode body) {

    public String text(String field) {
      return body == null ? null : body.path(field).asString();
    }

    public String problemType() {
      return text("type");
    }

    @Override
    public String toString() {
      return status + " " + new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** Client credentials by HTTP Basic. */
  public Response token(String clientId, String secret) {
    String basic =
        Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return form("/oauth/token", "grant_type=client_credentials", "Basic " + basic);
  }

  public Response form(String path, String body, @Nullable String authorization) {
    return answer(
        http.post()
            .uri(path)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .headers(h -> authorize(h, authorization))
            .body(body)
            .retrieve()
            .toEntity(byte[].class));
  }

  public Response postJson(String path, @Nullable Object body, @Nullable String bearer) {
    var request =
        http.post()
            .uri(path)
            .headers(h -> authorize(h, bearer == null ? null : "Bearer " + bearer));
    if (body != null) {
      request.contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
    }
    return answer(request.retrieve().toEntity(byte[].class));
  }

  public Response get(String path, @Nullable String bearer) {
    return answer(
        http.get()
            .uri(path)
            .headers(h -> authorize(h, bearer == null ? null : "Bearer " + bearer))
            .retrieve()
            .toEntity(byte[].class));
  }

  private static void authorize(HttpHeaders headers, @Nullable String authorization) {
    if (authorization != null) {
      headers.set(HttpHeaders.AUTHORIZATION, authorization);
    }
  }

  private Response answer(ResponseEntity<byte[]> entity) {
    byte[] bytes = entity.getBody() == null ? new byte[0] : entity.getBody();
    JsonNode body = null;
    MediaType type = entity.getHeaders().getContentType();
    if (type != null && type.getSubtype().contains("json") && bytes.length > 0) {
      body = json.readTree(bytes);
    }
    return new Response(entity.getStatusCode().value(), entity.getHeaders(), bytes, body);
  }
}
