package io.asyncrpc.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link InfrastructureChoice}. */
class InfrastructureChoiceTests {

  private static final List<String> IMAGES =
      List.of("postgres:17-alpine", "rabbitmq:4.1-management");

  /** An engine that answers or not, holding the given images, and records what it was asked. */
  private static final class FakeEngine implements InfrastructureChoice.Engine {
    final boolean answers;
    final List<String> present;
    final List<String> calls = new ArrayList<>();

    FakeEngine(boolean answers, String... present) {
      this.answers = answers;
      this.present = List.of(present);
    }

    @Override
    public boolean answers() {
      calls.add("answers");
      return answers;
    }

    @Override
    public List<String> missing(List<String> images) {
      calls.add("missing");
      return images.stream().filter(i -> !present.contains(i)).toList();
    }
  }

  @Test
  void localIsLocalEvenWithAnEngineAndItsImages() {
    FakeEngine engine = new FakeEngine(true, IMAGES.toArray(String[]::new));
    InfrastructureChoice choice = InfrastructureChoice.decide("local", IMAGES, engine);
    assertThat(choice.containers()).isFalse();
    assertThat(choice.reason()).isEqualTo("local stack (IOTCORE_TEST_INFRA=local)");
    assertThat(engine.calls).as("local never probes the engine").isEmpty();
  }

  @Test
  void containersWhenAskedForEvenIfImagesMustBePulled() {
    FakeEngine engine = new FakeEngine(true);
    InfrastructureChoice choice = InfrastructureChoice.decide(" Containers ", IMAGES, engine);
    assertThat(choice.containers()).isTrue();
    assertThat(choice.reason()).contains("IOTCORE_TEST_INFRA=containers", "pulled if missing");
    assertThat(engine.calls).containsExactly("answers");
  }

  @Test
  void containersAskedForWithoutAnEngineFailsSayingWhatToDo() {
    assertThatThrownBy(
            () -> InfrastructureChoice.decide("containers", IMAGES, new FakeEngine(false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Docker engine answers")
        .hasMessageContaining("IOTCORE_TEST_INFRA=local");
  }

  @Test
  void unsetWithoutAnEngineIsLocal() {
    FakeEngine engine = new FakeEngine(false);
    InfrastructureChoice choice = InfrastructureChoice.decide(null, IMAGES, engine);
    assertThat(choice.containers()).isFalse();
    assertThat(choice.reason()).contains("unset and no Docker engine answers");
    assertThat(engine.calls).containsExactly("answers");
  }

  @Test
  void unsetWithAnEngineLackingAnImageIsLocalAndNamesTheImage() {
    FakeEngine engine = new FakeEngine(true, "postgres:17-alpine");
    InfrastructureChoice choice = InfrastructureChoice.decide("", IMAGES, engine);
    assertThat(choice.containers()).isFalse();
    assertThat(choice.reason())
        .contains("lacks rabbitmq:4.1-management")
        .doesNotContain("lacks postgres")
        .contains("IOTCORE_TEST_INFRA=containers");
  }

  @Test
  void unsetWithAnEngineHoldingEveryImageIsContainers() {
    FakeEngine engine = new FakeEngine(true, IMAGES.toArray(String[]::new));
    InfrastructureChoice choice = InfrastructureChoice.decide(null, IMAGES, engine);
    assertThat(choice.containers()).isTrue();
    assertThat(choice.reason()).contains("has postgres:17-alpine, rabbitmq:4.1-management");
  }

  @Test
  void anUnknownValueFailsNamingTheChoices() {
    assertThatThrownBy(() -> InfrastructureChoice.decide("docker", IMAGES, new FakeEngine(true)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "IOTCORE_TEST_INFRA=docker is not a test infrastructure: use local or containers");
  }
}
