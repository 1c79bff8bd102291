package io.asyncrpc.agent.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.agent.Task;
import io.asyncrpc.agent.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tests for {@link DemoHandlers}. */
class DemoHandlersTests {

  @Test
  void echoAnswersThePayload() {
    assertThat(DemoHandlers.echo(task("{\"a\":[1,2]}"))).isEqualTo(TaskResult.ok("{\"a\":[1,2]}"));
  }

  @Test
  void sumAddsTheValues() {
    assertThat(DemoHandlers.sum(task("{\"values\":[1,2,3.5]}")).body()).isEqualTo("{\"sum\":6.5}");
    assertThat(DemoHandlers.sum(task("{\"values\":[]}")).body()).isEqualTo("{\"sum\":0}");
    assertThat(DemoHandlers.sum(task("{\"values\":[1,\"x\"]}")).statusCode()).isEqualTo(400);
  }

  @Test
  void failAnswers500WithThePayload() {
    TaskResult result = DemoHandlers.fail(task("{\"error\":\"relay did not switch\"}"));

    assertThat(result.statusCode()).isEqualTo(500);
    assertThat(result.body()).isEqualTo("{\"error\":\"relay did not switch\"}");
  }

  @Test
  void progressReportsThePercentDoneAfterEachStep() throws Exception {
    List<Integer> reported = new ArrayList<>();

    TaskResult result =
        DemoHandlers.progress(
            task("{\"steps\":4,\"step_ms\":0}"),
            (percent, message, details) -> reported.add(percent));

    assertThat(result.body()).isEqualTo("{\"steps\":4}");
    assertThat(reported).containsExactly(0, 25, 50, 75, 100);
    assertThat(DemoHandlers.progress(task("{\"steps\":0}"), (p, m, d) -> {}).statusCode())
        .isEqualTo(400);
  }

  @Test
  void sleepWantsASensibleDuration() throws Exception {
    assertThat(DemoHandlers.sleep(task("{\"ms\":1}")).body()).isEqualTo("{\"slept_ms\":1}");
    assertThat(DemoHandlers.sleep(task("{\"ms\":-1}")).statusCode()).isEqualTo(400);
    assertThat(DemoHandlers.sleep(task("{}")).statusCode()).isEqualTo(400);
  }

  private static Task task(String payload) {
    return new Task(UUID.randomUUID(), "demo", 1, payload, null, null);
  }
}
