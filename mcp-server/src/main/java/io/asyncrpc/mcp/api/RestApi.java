package io.asyncrpc.mcp.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.util.UriBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * api-service's REST API as the MCP tools use it. Every call carries the caller's own bearer token,
 * so api-service applies its scopes and tenant to the agent exactly as to any other client: this
 * server has no credentials of its own.
 */
@Component
public class RestApi {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final RestClient http;

  public RestApi(ApiProperties properties, RestClient.Builder builder) {
    SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
    requests.setConnectTimeout(java.time.Duration.ofSeconds(5));
    requests.setReadTimeout(properties.timeout());
    this.http = builder.baseUrl(properties.url().toString()).requestFactory(requests).build();
  }

  /** {@code GET path} with query parameters (a list value repeats the parameter). */
  public JsonNode get(String token, String path, Map<String, ?> query) {
    return call(
        token,
        http.get().uri(b -> uri(b, path, query)).accept(MediaType.APPLICATION_JSON),
        Function.identity());
  }

  /** {@code POST path} with a JSON body and extra headers. */
  public JsonNode post(String token, String path, Object body, Map<String, String> headers) {
    return call(
        token,
        http.post()
            .uri(b -> uri(b, path, Map.of()))
            .contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.APPLICATION_JSON)
            .headers(h -> headers.forEach(h::set))
            .body(JSON.writeValueAsString(body)),
        Function.identity());
  }

  /** {@code DELETE path}. */
  public JsonNode delete(String token, String path) {
    return call(
        token,
        http.delete().uri(b -> uri(b, path, Map.of())).accept(MediaType.APPLICATION_JSON),
        Function.identity());
  }

  private static URI uri(UriBuilder builder, String path, Map<String, ?> query) {
    builder.path(path);
    query.forEach(
        (name, value) -> {
          if (value instanceof List<?> values) {
            values.forEach(v -> builder.queryParam(name, v));
          } else if (value != null) {
            builder.queryParam(name, value);
          }
        });
    return builder.build();
  }

  private static <T> T call(
      String token, RestClient.RequestHeadersSpec<?> request, Function<JsonNode, T> map) {
    try {
      String body =
          request
              .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
              .retrieve()
              .body(String.class);
      return map.apply(body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body));
    } catch (RestClientResponseException e) {
      throw new ApiException(problem(e.getStatusCode().value(), e.getResponseBodyAsString()));
    } catch (ResourceAccessException e) {
      throw new ApiException(
          new ApiProblem(0, "api-service unreachable", e.getMostSpecificCause().getMessage()));
    }
  }

  /** The problem's title and detail; a body that is not a problem is named by its status only. */
  static ApiProblem problem(int status, @Nullable String body) {
    try {
      JsonNode problem = body == null || body.isBlank() ? null : JSON.readTree(body);
      if (problem != null && problem.hasNonNull("title")) {
        JsonNode detail = problem.get("detail");
        String text = detail == null || detail.isNull() ? null : detail.asString();
        JsonNode errors = problem.get("errors");
        if (errors != null && errors.isArray() && !errors.isEmpty()) {
          text = (text == null ? "" : text + " ") + errors;
        }
        return new ApiProblem(status, problem.get("title").asString(), text);
      }
    } catch (JacksonException e) {
      // not JSON: fall through to the status alone
    }
    return new ApiProblem(status, "HTTP " + status, null);
  }
}
