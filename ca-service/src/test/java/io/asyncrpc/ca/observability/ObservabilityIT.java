package io.asyncrpc.ca.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.ca.IntegrationTest;
import io.asyncrpc.testsupport.ActuatorClient;
import io.asyncrpc.testsupport.ActuatorClient.Answer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What an operator sees of ca-service: the readiness group and the Prometheus scrape. */
class ObservabilityIT extends IntegrationTest {

  @Test
  void readinessFollowsTheDatabaseAndPrometheusIsScrapedWithoutAToken() {
    ActuatorClient actuator = new ActuatorClient("http://127.0.0.1:" + port);
    adminToken(); // one real request, so its HTTP metrics exist

    Answer readiness = actuator.get("health/readiness");
    Answer liveness = actuator.get("health/liveness");
    Answer scrape = actuator.get("prometheus");

    assertThat(readiness.status()).isEqualTo(200);
    JsonNode ready = json.readTree(readiness.body());
    assertThat(ready.get("components").propertyNames())
        .containsExactlyInAnyOrder("db", "readinessState");
    assertThat(liveness.status()).isEqualTo(200);
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.body())
        .containsPattern("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"/oauth/token\"")
        .contains("application=\"ca-service\"");
  }
}
