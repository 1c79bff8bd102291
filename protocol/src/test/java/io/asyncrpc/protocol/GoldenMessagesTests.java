package io.asyncrpc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Verifies that every golden message obeys the protocol's own rules, so the Java and C suites that
 * read them as test vectors start from valid messages.
 */
class GoldenMessagesTests {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> files() {
    return GoldenMessages.FILES.stream();
  }

  @ParameterizedTest
  @MethodSource("files")
  void topicIsAProtocolTopic(String file) {
    JsonNode message = read(file);

    assertThat(Topic.parseMqtt(message.get("topic").asString())).isPresent();
    assertThat(message.get("qos").asInt()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("files")
  void carriesATaskIdOneOfTheAcceptedWays(String file) {
    JsonNode message = read(file);

    assertThat(taskId(message)).isPresent();
  }

  @ParameterizedTest
  @MethodSource("files")
  void userPropertiesAreStrings(String file) {
    JsonNode properties = read(file).get("user_properties");

    for (Map.Entry<String, JsonNode> property : properties.properties()) {
      assertThat(property.getValue().isString()).as(property.getKey()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("files")
  void resultsCarryAValidStatusCode(String file) {
    JsonNode message = read(file);
    Topic topic = Topic.parseMqtt(message.get("topic").asString()).orElseThrow();

    if (topic.kind() == MessageKind.RESULT) {
      int code = StatusCodes.parse(message.get("user_properties").get("status_code").asString());
      assertThat(StatusCodes.isValidResult(code)).isTrue();
    }
  }

  static java.util.Optional<java.util.UUID> taskId(JsonNode message) {
    JsonNode text = message.get("correlation_data");
    if (text != null && !text.isNull()) {
      return TaskIds.fromText(text.asString());
    }
    JsonNode hex = message.get("correlation_data_hex");
    if (hex != null) {
      return TaskIds.fromCorrelationData(HexFormat.of().parseHex(hex.asString()));
    }
    JsonNode fallback = message.get("user_properties").get(UserProperties.CORRELATION_DATA);
    return fallback == null ? java.util.Optional.empty() : TaskIds.fromText(fallback.asString());
  }

  private static JsonNode read(String file) {
    try (InputStream in = GoldenMessagesTests.class.getResourceAsStream("/golden/" + file)) {
      assertThat(in).as(file).isNotNull();
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
