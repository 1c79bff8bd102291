package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tests for {@link JsonConfiguration}: strict, snake_case JSON. */
class JsonConfigurationTests {

  record Order(String deviceId, int count) {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
          .withUserConfiguration(JsonConfiguration.class);

  @Test
  void namesAreSnakeCase() {
    runner.run(
        context -> {
          JsonMapper json = context.getBean(JsonMapper.class);
          assertThat(json.writeValueAsString(new Order("SN-1", 2)))
              .isEqualTo("{\"device_id\":\"SN-1\",\"count\":2}");
          assertThat(json.readValue("{\"device_id\":\"SN-1\",\"count\":2}", Order.class))
              .isEqualTo(new Order("SN-1", 2));
        });
  }

  @Test
  void unknownFieldsWrongTypesAndTrailingTokensAreErrors() {
    runner.run(
        context -> {
          JsonMapper json = context.getBean(JsonMapper.class);
          for (String refused :
              new String[] {
                "{\"device_id\":\"a\",\"count\":1,\"colour\":\"red\"}",
                "{\"device_id\":\"a\",\"count\":\"5\"}",
                "{\"device_id\":\"a\",\"count\":5.5}",
                "{\"device_id\":7,\"count\":1}",
                "{\"device_id\":\"a\",\"count\":null}",
                "{\"device_id\":\"a\",\"count\":1} {}"
              }) {
            assertThatThrownBy(() -> json.readValue(refused, Order.class))
                .as(refused)
                .isInstanceOf(JacksonException.class);
          }
        });
  }

  @Test
  void untypedNumbersKeepTheirValue() {
    runner.run(
        context -> {
          JsonNode node = context.getBean(JsonMapper.class).readTree("{\"v\":0.1,\"w\":1e400}");
          assertThat(node.path("v").decimalValue()).isEqualTo(new BigDecimal("0.1"));
          assertThat(node.path("w").decimalValue()).isEqualTo(new BigDecimal("1e400"));
        });
  }
}
