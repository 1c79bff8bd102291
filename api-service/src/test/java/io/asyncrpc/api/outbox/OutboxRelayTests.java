package io.asyncrpc.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.asyncrpc.api.outbox.OutboxPublisher.Publication;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/** Tests for {@link OutboxRelay}: how much one run takes. */
class OutboxRelayTests {

  private static final int BATCH = 10;

  private final OutboxStore store = mock(OutboxStore.class);
  private final OutboxPublisher publisher = mock(OutboxPublisher.class);
  private final BrokerFlowControl flow = mock(BrokerFlowControl.class);
  private final OutboxRelay relay = relay();

  @Test
  void aRunTakesBatchAfterBatchWhileTheyComeBackFull() {
    when(store.lockBatch(any(), eq(BATCH)))
        .thenReturn(rows(1, BATCH))
        .thenReturn(rows(11, BATCH))
        .thenReturn(rows(21, BATCH))
        .thenReturn(rows(31, 4))
        .thenReturn(rows(41, 0));
    confirmEverything();

    assertThat(relay.relayBacklog()).isEqualTo(34);
    verify(store, times(4)).lockBatch(any(), eq(BATCH));
  }

  @Test
  void aRunStopsAtABatchTheBrokerDidNotConfirmInFull() {
    when(store.lockBatch(any(), eq(BATCH))).thenReturn(rows(1, BATCH)).thenReturn(rows(11, BATCH));
    Publication confirmed = publication(null);
    Publication refused = publication("nack: test");
    when(publisher.send(any(), eq("relay")))
        .thenReturn(confirmed, confirmed, refused, confirmed, confirmed)
        .thenReturn(confirmed);

    assertThat(relay.relayBacklog()).isEqualTo(BATCH - 1);
    verify(store, times(1)).lockBatch(any(), anyInt());
    verify(store).recordFailure(3L, "nack: test");
  }

  @Test
  void aRunPublishesNothingWhileTheBrokerBlocks() {
    when(flow.blocked())
        .thenReturn(Optional.of(new BrokerFlowControl.Blocked("low on memory", null)));

    assertThat(relay.relayBacklog()).isZero();
    verify(store, never()).lockBatch(any(), anyInt());
  }

  private OutboxRelay relay() {
    when(flow.blocked()).thenReturn(Optional.empty());
    PlatformTransactionManager transactions = mock(PlatformTransactionManager.class);
    when(transactions.getTransaction(any())).thenReturn(new SimpleTransactionStatus());
    return new OutboxRelay(
        store,
        publisher,
        new OutboxProperties(
            "it.relay",
            true,
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            BATCH,
            Duration.ofSeconds(5),
            256,
            Duration.ZERO,
            OutboxProperties.TaskCreatedRecovery.TABLE,
            Duration.ofMinutes(10)),
        new TransactionTemplate(transactions),
        mock(TaskScheduler.class),
        flow);
  }

  private void confirmEverything() {
    Publication confirmed = publication(null);
    when(publisher.send(any(), eq("relay"))).thenReturn(confirmed);
  }

  private static Publication publication(String error) {
    Publication publication = mock(Publication.class);
    when(publication.await()).thenReturn(error);
    return publication;
  }

  private static List<PendingEvent> rows(long first, int count) {
    return LongStream.range(first, first + count)
        .mapToObj(
            id -> new PendingEvent(id, UUID.randomUUID(), "TaskCreated", "task.created", "{}"))
        .toList();
  }
}
