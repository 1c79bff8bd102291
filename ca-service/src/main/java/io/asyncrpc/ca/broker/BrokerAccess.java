package io.asyncrpc.ca.broker;

import java.net.http.HttpClient;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Grants and withdraws a device's access to the broker. Both are idempotent: granting again
 * rewrites the same user and permissions, withdrawing a user that is gone succeeds.
 */
@Component
public class BrokerAccess {

  private static final Logger log = LoggerFactory.getLogger(BrokerAccess.class);

  private static final int ATTEMPTS = 3;

  private final RestClient http;
  private final String vhost;

  public BrokerAccess(BrokerProperties properties) {
    // HTTP/1.1: the JDK client's default h2c upgrade attempt makes the broker's web server drop
    // requests that have a body ("EOF reached while reading").
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(properties.timeout())
            .build();
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
    factory.setReadTimeout(properties.timeout());
    this.http =
        RestClient.builder()
            .baseUrl(properties.managementUrl().toString().replaceAll("/+$", "") + "/api")
            .requestFactory(factory)
            .defaultHeaders(
                h -> {
                  if (properties.username() != null) {
                    h.setBasicAuth(properties.username(), properties.password());
                  }
                })
            .build();
    this.vhost = properties.vhost();
  }

  /**
   * Makes the device's user (no password: it logs in with its certificate, CN = user name) and sets
   * its permissions.
   */
  public void grant(String deviceId) {
    DevicePermissions p = DevicePermissions.of(deviceId);
    try {
      // An empty password_hash means "no password": only certificate login can authenticate it.
      put("/users/{user}", Map.of("password_hash", "", "tags", ""), deviceId);
      put(
          "/permissions/{vhost}/{user}",
          Map.of("configure", p.configure(), "write", p.write(), "read", p.read()),
          vhost,
          deviceId);
      put(
          "/topic-permissions/{vhost}/{user}",
          Map.of(
              "exchange",
              DevicePermissions.TOPIC_EXCHANGE,
              "write",
              p.topicWrite(),
              "read",
              p.topicRead()),
          vhost,
          deviceId);
    } catch (RestClientException e) {
      throw new BrokerUnavailableException(
          "the broker did not accept the device user " + deviceId + "; retry later", e);
    }
    log.info("broker access granted to device {}", deviceId);
  }

  /**
   * Deletes the device's user and closes every connection it still has. RabbitMQ 4.0 closes a
   * deleted user's connections itself; the explicit close covers brokers that do not, and is a
   * no-op otherwise.
   */
  public void withdraw(String deviceId) {
    DevicePermissions.of(deviceId); // validates the id before it goes into a URL
    try {
      try {
        withRetry(() -> http.delete().uri("/users/{user}", deviceId).retrieve().toBodilessEntity());
      } catch (HttpClientErrorException.NotFound gone) {
        // Already withdrawn: idempotent.
      }
      closeConnections(deviceId);
    } catch (RestClientException e) {
      throw new BrokerUnavailableException(
          "the broker did not remove the device user " + deviceId + "; retry the revocation", e);
    }
    log.info("broker access withdrawn from device {}", deviceId);
  }

  /** Closes every live connection of the device's user, which keeps its access. */
  public void closeConnections(String deviceId) {
    DevicePermissions.of(deviceId);
    try {
      withRetry(
          () ->
              http.delete()
                  .uri("/connections/username/{user}", deviceId)
                  .header("X-Reason", "certificate revoked")
                  .retrieve()
                  .toBodilessEntity());
    } catch (HttpClientErrorException e) {
      if (e.getStatusCode() != HttpStatus.NOT_FOUND) {
        throw e;
      }
    }
  }

  private void put(String path, Map<String, String> body, Object... variables) {
    withRetry(
        () ->
            http.put()
                .uri(path, variables)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .toBodilessEntity());
  }

  /**
   * Runs an idempotent call, again after an I/O error: the management web server closes a
   * keep-alive connection after a few requests ({@code management.tcp.max_keepalive}), and a
   * request sent on it just then fails without reaching the broker.
   */
  private static void withRetry(Runnable call) {
    for (int attempt = 1; ; attempt++) {
      try {
        call.run();
        return;
      } catch (ResourceAccessException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
        log.debug("management API call failed ({}); retrying", e.getMessage());
        try {
          Thread.sleep(20L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
