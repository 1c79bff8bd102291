package io.asyncrpc.ca;

import java.net.http.HttpClient;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the tests ask the broker's management API directly. */
public final class BrokerManagement {

  private final RestClient http;
  private final JsonMapper json = JsonMapper.builder().build();

  public BrokerManagement(String url, String user, String password) {
    this.http =
        RestClient.builder()
            .baseUrl(url + "/api")
            // HTTP/1.1: the broker drops the JDK client's h2c upgrade on requests with a body.
            .requestFactory(
                new JdkClientHttpRequestFactory(
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()))
            .defaultHeaders(h -> h.setBasicAuth(user, password))
            .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
            .build();
  }

  /** The user, or null when it does not exist. */
  public JsonNode user(String name) {
    return get("/users/{u}", name);
  }

  /** The user's permissions on vhost {@code /}, or null. */
  public JsonNode permissions(String name) {
    return get("/permissions/{v}/{u}", "/", name);
  }

  /** The user's topic permissions on vhost {@code /} (an array), or null. */
  public JsonNode topicPermissions(String name) {
    return get("/topic-permissions/{v}/{u}", "/", name);
  }

  /**
   * Gives an existing device user a password: only tests do this, to log in over plain MQTT where
   * real devices use their certificate.
   */
  public void setPassword(String name, String password) {
    retry(
        () ->
            http.put()
                .uri("/users/{u}", name)
                .contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsString(Map.of("password", password, "tags", "")))
                .retrieve()
                .toBodilessEntity());
  }

  /** The broker's web server closes keep-alive connections after a few requests: retry once. */
  private static <T> T retry(Supplier<T> call) {
    try {
      return call.get();
    } catch (ResourceAccessException e) {
      return call.get();
    }
  }

  private JsonNode get(String path, Object... variables) {
    var entity = retry(() -> http.get().uri(path, variables).retrieve().toEntity(String.class));
    if (entity.getStatusCode().value() == 404) {
      return null;
    }
    return json.readTree(entity.getBody());
  }
}
