package io.asyncrpc.task.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TaskCreatedChannelTests {

  @Test
  void idsSurviveTheRoundTripInOrderSplitIntoPayloadsUnderPostgresLimit() {
    List<UUID> ids = IntStream.range(0, 450).mapToObj(i -> UUID.randomUUID()).toList();

    List<String> payloads = TaskCreatedChannel.payloads(ids);

    assertThat(payloads).hasSize(3);
    assertThat(payloads).allSatisfy(p -> assertThat(p.getBytes(UTF_8).length).isLessThan(8000));
    assertThat(payloads.stream().flatMap(p -> TaskCreatedChannel.taskIds(p).stream()).toList())
        .isEqualTo(ids);
  }

  @Test
  void noIdsNoPayload() {
    assertThat(TaskCreatedChannel.payloads(List.of())).isEmpty();
    assertThat(TaskCreatedChannel.taskIds("")).isEmpty();
  }

  @Test
  void aPayloadWithAnEntryThatIsNotAnIdIsRefusedWhole() {
    String payload = UUID.randomUUID() + ",not-a-task";

    assertThatIllegalArgumentException().isThrownBy(() -> TaskCreatedChannel.taskIds(payload));
  }
}
