package io.asyncrpc.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/** How confirmed rows are grouped into statements; the real table is in ConfirmedRowDeleterIT. */
class ConfirmedRowDeleterTests {

  /** Records each statement's ids; the first statement waits until released, like a slow one. */
  private static final class RecordingStore extends OutboxStore {
    final List<List<Long>> statements = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch firstRunning = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean failNext;

    RecordingStore() {
      super(null);
    }

    @Override
    void deleteAll(List<Long> ids) {
      firstRunning.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failNext) {
        failNext = false;
        throw new DataAccessResourceFailureException("database unreachable");
      }
      statements.add(List.copyOf(ids));
    }

    List<Long> deleted() {
      synchronized (statements) {
        return statements.stream().flatMap(List::stream).sorted().toList();
      }
    }
  }

  @Test
  void confirmsArrivingDuringAStatementGoIntoTheNextOneBoundedBatches() throws Exception {
    RecordingStore store = new RecordingStore();
    ConfirmedRowDeleter deleter = new ConfirmedRowDeleter(store, Duration.ZERO);
    deleter.delete(1);
    assertThat(store.firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
    LongStream.rangeClosed(2, 1201).forEach(deleter::delete);
    store.release.countDown();

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(store.deleted())
                    .isEqualTo(LongStream.rangeClosed(1, 1201).boxed().toList()));
    assertThat(store.statements.stream().map(List::size).toList())
        .containsExactly(1, ConfirmedRowDeleter.MAX_BATCH, ConfirmedRowDeleter.MAX_BATCH, 200);
    deleter.destroy();
  }

  @Test
  void confirmsArrivingWhileTheFirstLingersShareOneStatement() throws Exception {
    RecordingStore store = new RecordingStore();
    store.release.countDown();
    ConfirmedRowDeleter deleter = new ConfirmedRowDeleter(store, Duration.ofSeconds(1));
    LongStream.rangeClosed(1, 50).forEach(deleter::delete);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(store.deleted())
                    .isEqualTo(LongStream.rangeClosed(1, 50).boxed().toList()));
    assertThat(store.statements).hasSize(1);
    deleter.destroy();
  }

  @Test
  void aFailedStatementDropsOnlyItsOwnRowsAndLaterConfirmsAreStillDeleted() throws Exception {
    RecordingStore store = new RecordingStore();
    store.failNext = true;
    store.release.countDown();
    ConfirmedRowDeleter deleter = new ConfirmedRowDeleter(store, Duration.ZERO);
    deleter.delete(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> !store.failNext);
    deleter.delete(2);
    deleter.delete(3);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(store.deleted()).containsExactly(2L, 3L));
    deleter.destroy();
  }

  @Test
  void whatIsLeftAtShutdownIsDeletedBeforeTheBeanIsGone() throws Exception {
    RecordingStore store = new RecordingStore();
    ConfirmedRowDeleter deleter = new ConfirmedRowDeleter(store, Duration.ZERO);
    deleter.delete(1);
    assertThat(store.firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
    deleter.delete(2);
    store.release.countDown();
    deleter.destroy();

    assertThat(store.deleted()).containsExactly(1L, 2L);
  }
}
