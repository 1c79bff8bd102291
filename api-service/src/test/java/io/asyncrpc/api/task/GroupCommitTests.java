package io.asyncrpc.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tests for {@link GroupCommit}. */
class GroupCommitTests {

  /** A failure that belongs to one request: its batch is retried one request at a time. */
  static final class RowFault extends RuntimeException {
    RowFault(String message) {
      super(message);
    }
  }

  /** A failure of the whole database: its batch fails at once. */
  static final class DatabaseDown extends RuntimeException {
    DatabaseDown() {
      super("database down");
    }
  }

  private static final Predicate<Throwable> ROW_FAULTS = RowFault.class::isInstance;
  private static final long WAIT_SECONDS = 10;

  /** Each batch the writer was given. */
  private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

  /** The completions as they are counted. */
  private final List<CompletableFuture<Integer>> counted = new CopyOnWriteArrayList<>();

  /** How many times each request's future completed. */
  private final Map<Integer, AtomicInteger> completions = new ConcurrentHashMap<>();

  /** Held closed, the writer waits in its first batch, so the next requests gather. */
  private final CountDownLatch firstBatchMayFinish = new CountDownLatch(1);

  private final CountDownLatch firstBatchStarted = new CountDownLatch(1);
  private GroupCommit<Integer, String> commits;

  @AfterEach
  void close() {
    firstBatchMayFinish.countDown();
    if (commits != null) {
      commits.close(Duration.ofSeconds(WAIT_SECONDS));
    }
  }

  @Test
  void aLoneRequestIsWrittenWithoutWaitingForOthers() throws Exception {
    commits = start(8, 4, 1, this::echo, ROW_FAULTS);
    firstBatchMayFinish.countDown();

    assertThat(submit(1).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("written 1");
    assertThat(batches).containsExactly(List.of(1));
  }

  @Test
  void requestsThatWaitWhileTheWriterIsBusyShareBatchesOfBoundedSize() throws Exception {
    commits = start(1000, 64, 1, this::echo, ROW_FAULTS);
    List<CompletableFuture<String>> results = new ArrayList<>();
    results.add(submit(0));
    assertThat(firstBatchStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 300; i++) {
      results.add(submit(i));
    }
    firstBatchMayFinish.countDown();

    for (int i = 0; i < results.size(); i++) {
      assertThat(results.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("written " + i);
    }
    assertThat(batches.getFirst()).containsExactly(0);
    assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(64));
    assertThat(batches.subList(1, batches.size()))
        .as("300 waiting requests in batches of at most 64")
        .hasSize(5)
        .extracting(List::size)
        .containsExactly(64, 64, 64, 64, 44);
    assertThat(batches.stream().flatMap(List::stream)).hasSize(301).doesNotHaveDuplicates();
    assertEveryFutureCompletedOnce(301);
  }

  @Test
  void aBatchThatFailsForOneRequestIsRetriedOneRequestAtATime() throws Exception {
    commits =
        start(
            100,
            16,
            1,
            batch -> {
              if (batch.contains(7)) {
                throw new RowFault("7 violates a constraint");
              }
              return echo(batch);
            },
            ROW_FAULTS);
    List<CompletableFuture<String>> results = new ArrayList<>();
    results.add(submit(0));
    assertThat(firstBatchStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 10; i++) {
      results.add(submit(i));
    }
    firstBatchMayFinish.countDown();

    for (int i = 0; i <= 10; i++) {
      if (i == 7) {
        assertThatThrownBy(() -> results.get(7).get(WAIT_SECONDS, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(RowFault.class);
      } else {
        assertThat(results.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("written " + i);
      }
    }
    assertThat(batches)
        .as("the first batch, the failed batch of ten, then each of the ten alone")
        .hasSize(12);
    assertThat(batches.get(1)).hasSize(10);
    assertThat(batches.subList(2, 12)).allSatisfy(batch -> assertThat(batch).hasSize(1));
    assertEveryFutureCompletedOnce(11);
  }

  @Test
  void aBatchThatFailsForAllOfItsRequestsFailsThemAtOnce() throws Exception {
    DatabaseDown down = new DatabaseDown();
    commits =
        start(
            100,
            16,
            1,
            batch -> {
              if (batch.size() > 1) {
                throw down;
              }
              return echo(batch);
            },
            ROW_FAULTS);
    List<CompletableFuture<String>> results = new ArrayList<>();
    results.add(submit(0));
    assertThat(firstBatchStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 5; i++) {
      results.add(submit(i));
    }
    firstBatchMayFinish.countDown();

    assertThat(results.getFirst().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("written 0");
    for (CompletableFuture<String> result : results.subList(1, 6)) {
      assertThatThrownBy(() -> result.get(WAIT_SECONDS, TimeUnit.SECONDS)).cause().isSameAs(down);
    }
    assertThat(batches).as("no retry one by one").hasSize(2);
    assertEveryFutureCompletedOnce(6);
  }

  @Test
  void aFullQueueRefusesAtOnce() throws Exception {
    commits = start(2, 8, 1, this::echo, ROW_FAULTS);
    CompletableFuture<String> inProgress = submit(0);
    assertThat(firstBatchStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> second = submit(1);
    CompletableFuture<String> third = submit(2);

    assertThatThrownBy(() -> commits.submit(3))
        .isInstanceOfSatisfying(
            GroupCommit.Refused.class, refused -> assertThat(refused.closed()).isFalse());
    firstBatchMayFinish.countDown();
    assertThat(inProgress.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("written 0");
    assertThat(second.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("written 1");
    assertThat(third.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("written 2");
  }

  @Test
  void shutdownWritesWhatWaitsAndRefusesWhatComesLater() throws Exception {
    commits = start(100, 8, 2, this::echo, ROW_FAULTS);
    List<CompletableFuture<String>> results = new ArrayList<>();
    results.add(submit(0));
    assertThat(firstBatchStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 20; i++) {
      results.add(submit(i));
    }
    Thread closing = Thread.ofPlatform().start(() -> commits.close(Duration.ofSeconds(30)));
    firstBatchMayFinish.countDown();
    closing.join(Duration.ofSeconds(WAIT_SECONDS));

    assertThat(closing.isAlive()).isFalse();
    for (int i = 0; i < results.size(); i++) {
      assertThat(results.get(i)).isCompletedWithValue("written " + i);
    }
    assertThatThrownBy(() -> commits.submit(99))
        .isInstanceOfSatisfying(
            GroupCommit.Refused.class, refused -> assertThat(refused.closed()).isTrue());
    assertEveryFutureCompletedOnce(21);
  }

  @Test
  void shutdownFailsWhatItCouldNotWriteInTime() throws Exception {
    commits = start(100, 4, 1, this::echo, ROW_FAULTS);
    CompletableFuture<String> stuck = submit(0);
    assertThat(firstBatchStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<String>> waiting = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      waiting.add(submit(i));
    }

    commits.close(Duration.ofMillis(200));

    for (CompletableFuture<String> result : waiting) {
      assertThatThrownBy(result::join)
          .cause()
          .isInstanceOfSatisfying(
              GroupCommit.Refused.class, refused -> assertThat(refused.closed()).isTrue());
    }
    // The writer stuck in its batch was interrupted; the batch fails with what that raised.
    assertThatThrownBy(() -> stuck.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .cause()
        .hasMessageContaining("interrupted");
    assertEveryFutureCompletedOnce(11);
  }

  private GroupCommit<Integer, String> start(
      int capacity,
      int maxBatch,
      int writers,
      GroupCommit.BatchWriter<Integer, String> writer,
      Predicate<Throwable> retryAlone) {
    return new GroupCommit<>(
        "test-writer",
        capacity,
        maxBatch,
        writers,
        batch -> {
          batches.add(List.copyOf(batch));
          if (firstBatchStarted.getCount() > 0) {
            firstBatchStarted.countDown();
            try {
              firstBatchMayFinish.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException("interrupted in the first batch", e);
            }
          }
          return writer.write(batch);
        },
        retryAlone,
        size -> {});
  }

  private List<String> echo(List<Integer> batch) {
    return batch.stream().map(i -> "written " + i).toList();
  }

  private CompletableFuture<String> submit(int item) {
    CompletableFuture<String> result = commits.submit(item);
    counted.add(
        result.handle(
            (value, failure) ->
                completions.computeIfAbsent(item, i -> new AtomicInteger()).incrementAndGet()));
    return result;
  }

  private void assertEveryFutureCompletedOnce(int requests) {
    counted.forEach(CompletableFuture::join);
    assertThat(completions).hasSize(requests);
    assertThat(completions.values()).allSatisfy(count -> assertThat(count).hasValue(1));
  }
}
