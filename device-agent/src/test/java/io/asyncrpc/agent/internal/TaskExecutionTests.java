package io.asyncrpc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.agent.Task;
import io.asyncrpc.agent.TaskHandler;
import io.asyncrpc.agent.TaskResult;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Tests for {@link TaskExecution}. */
class TaskExecutionTests {

  @Test
  void returnsTheHandlersResult() {
    TaskExecution execution =
        new TaskExecution(Map.of("echo", task -> TaskResult.ok(task.payload())), null);

    TaskResult result = execution.run(task("echo", "{\"a\":1}"));

    assertThat(result).isEqualTo(TaskResult.ok("{\"a\":1}"));
  }

  @Test
  void handlerExceptionBecomesA500WithAnErrorDocument() {
    TaskHandler failing =
        task -> {
          throw new IllegalStateException("relay stuck");
        };
    TaskExecution execution = new TaskExecution(Map.of("relay.switch", failing), null);

    TaskResult result = execution.run(task("relay.switch", "{}"));

    assertThat(result.statusCode()).isEqualTo(500);
    JsonNode body = Json.MAPPER.readTree(result.body());
    assertThat(body.path("error").asString()).isEqualTo("handler failed");
    assertThat(body.path("exception").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(body.path("message").asString()).isEqualTo("relay stuck");
  }

  @Test
  void unknownMethodCodeBecomesA501() {
    TaskExecution execution = new TaskExecution(Map.of("echo", task -> TaskResult.ok()), null);

    TaskResult result = execution.run(task("firmware.update", "{}"));

    assertThat(result.statusCode()).isEqualTo(501);
    assertThat(Json.MAPPER.readTree(result.body()))
        .isEqualTo(Json.MAPPER.readTree("{\"error\":\"unknown method_code firmware.update\"}"));
  }

  @Test
  void fallbackHandlerTakesUnknownMethodCodes() {
    TaskExecution execution =
        new TaskExecution(Map.of(), task -> TaskResult.ok("{\"by\":\"fallback\"}"));

    assertThat(execution.run(task("anything", "{}")).body()).isEqualTo("{\"by\":\"fallback\"}");
  }

  @Test
  void resultThatIsNotJsonBecomesA500() {
    TaskExecution execution =
        new TaskExecution(Map.of("bad", task -> TaskResult.ok("not json")), null);

    TaskResult result = execution.run(task("bad", "{}"));

    assertThat(result.statusCode()).isEqualTo(500);
    assertThat(result.body()).contains("not a JSON document");
  }

  @Test
  void missingResultBecomesA500() {
    TaskExecution execution = new TaskExecution(Map.of("null", task -> null), null);

    assertThat(execution.run(task("null", "{}")).statusCode()).isEqualTo(500);
  }

  @Test
  void tooLargeResultBecomesA500() {
    String large = "{\"data\":\"" + "x".repeat(70_000) + "\"}";
    TaskExecution execution = new TaskExecution(Map.of("big", task -> TaskResult.ok(large)), null);

    TaskResult result = execution.run(task("big", "{}"));

    assertThat(result.statusCode()).isEqualTo(500);
    assertThat(result.body()).contains("larger than");
  }

  @Test
  void payloadThatIsNotJsonIsRefusedWithoutRunningTheHandler() {
    TaskExecution execution =
        new TaskExecution(
            Map.of(
                "echo",
                task -> {
                  throw new AssertionError("must not run");
                }),
            null);

    TaskResult result = execution.run(task("echo", "{broken"));

    assertThat(result.statusCode()).isEqualTo(400);
  }

  @Test
  void handlerSeesThePayloadAsJson() {
    TaskExecution execution =
        new TaskExecution(
            Map.of(
                "sum",
                task -> {
                  long sum = 0;
                  for (JsonNode value : task.payloadJson().path("values")) {
                    sum += value.asLong();
                  }
                  return TaskResult.ok("{\"sum\":" + sum + "}");
                }),
            null);

    assertThat(execution.run(task("sum", "{\"values\":[1,2,3]}")).body()).isEqualTo("{\"sum\":6}");
  }

  private static Task task(String methodCode, String payload) {
    return new Task(UUID.randomUUID(), methodCode, 1, payload, null, null);
  }
}
