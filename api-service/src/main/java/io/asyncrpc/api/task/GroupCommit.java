package io.asyncrpc.api.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: concurrent writes are collected in a bounded queue, and each writer thread takes
 * what waits (at most {@code maxBatch}) and writes it in one transaction. There is no artificial
 * delay: an idle writer takes a lone request at once; while it writes, the next requests gather and
 * form the next batch. Every request's future completes exactly once, after its own batch committed
 * or failed.
 *
 * <p>When a batch fails for a reason that may belong to one request alone ({@code retryAlone}), its
 * requests are written again one at a time, so that request fails alone and the others succeed; any
 * other failure (the database is unreachable, say) fails the whole batch at once, because retrying
 * each request would only multiply the wait.
 *
 * @param <I> what a request writes
 * @param <O> what a request gets back once committed
 */
final class GroupCommit<I, O> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** Writes one batch in one transaction; returns one result per request, in request order. */
  @FunctionalInterface
  interface BatchWriter<I, O> {
    List<O> write(List<I> batch);
  }

  /** The queue is full or the group commit is closed: the request was not taken. */
  static final class Refused extends RejectedExecutionException {

    private final boolean closed;

    Refused(String message, boolean closed) {
      super(message);
      this.closed = closed;
    }

    /** True when refused because the group commit is closing, false when it is full. */
    boolean closed() {
      return closed;
    }
  }

  private record Request<I, O>(I item, CompletableFuture<O> result) {}

  private final String name;
  private final int maxBatch;
  private final BatchWriter<I, O> writer;
  private final Predicate<Throwable> retryAlone;
  private final IntConsumer batchSizes;
  private final BlockingQueue<Request<I, O>> queue;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closing;
  private volatile boolean stopped;

  /**
   * Starts {@code writers} writer threads.
   *
   * @param name names the writer threads
   * @param capacity most requests waiting; beyond it {@link #submit} refuses at once
   * @param maxBatch most requests one transaction writes
   * @param writers writer threads, each writing its own batch
   * @param writer writes a batch
   * @param retryAlone whether a batch failure may be one request's own, so each is retried alone
   * @param batchSizes told the size of each batch written
   */
  GroupCommit(
      String name,
      int capacity,
      int maxBatch,
      int writers,
      BatchWriter<I, O> writer,
      Predicate<Throwable> retryAlone,
      IntConsumer batchSizes) {
    if (capacity < 1 || maxBatch < 1 || writers < 1) {
      throw new IllegalArgumentException("capacity, maxBatch and writers must be positive");
    }
    this.name = name;
    this.maxBatch = maxBatch;
    this.writer = writer;
    this.retryAlone = retryAlone;
    this.batchSizes = batchSizes;
    this.queue = new ArrayBlockingQueue<>(capacity);
    for (int i = 0; i < writers; i++) {
      threads.add(Thread.ofPlatform().name(name + "-" + i).daemon().start(this::run));
    }
  }

  /**
   * Queues {@code item}; the future completes once its batch committed, or fails with what failed
   * it. Never blocks: a full queue refuses the request at once with {@link Refused}.
   */
  CompletableFuture<O> submit(I item) {
    if (closing) {
      throw new Refused(name + " is shutting down", true);
    }
    Request<I, O> request = new Request<>(item, new CompletableFuture<>());
    if (!queue.offer(request)) {
      throw new Refused(name + " has " + queue.size() + " requests waiting", false);
    }
    if (closing && queue.remove(request)) {
      // close() may have drained the queue before this request arrived in it.
      throw new Refused(name + " is shutting down", true);
    }
    return request.result();
  }

  /** Requests waiting for a writer. */
  int waiting() {
    return queue.size();
  }

  private void run() {
    List<Request<I, O>> batch = new ArrayList<>(maxBatch);
    while (!stopped && (!closing || !queue.isEmpty())) {
      try {
        Request<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        write(batch);
      } catch (InterruptedException e) {
        // close() interrupts only after its deadline: what is left fails there.
        break;
      } catch (RuntimeException | Error e) {
        // A bug in write(): whatever it left open fails rather than waiting forever.
        log.error("{} failed a batch of {}", name, batch.size(), e);
        batch.forEach(r -> r.result().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Request<I, O>> batch) {
    batchSizes.accept(batch.size());
    try {
      complete(batch, writer.write(batch.stream().map(Request::item).toList()));
    } catch (RuntimeException e) {
      if (batch.size() > 1 && retryAlone.test(e)) {
        log.debug(
            "{}: a batch of {} failed ({}); writing each alone", name, batch.size(), e.toString());
        for (Request<I, O> request : batch) {
          writeAlone(request);
        }
      } else {
        batch.forEach(r -> r.result().completeExceptionally(e));
      }
    }
  }

  private void writeAlone(Request<I, O> request) {
    batchSizes.accept(1);
    try {
      complete(List.of(request), writer.write(List.of(request.item())));
    } catch (RuntimeException e) {
      request.result().completeExceptionally(e);
    }
  }

  private void complete(List<Request<I, O>> batch, List<O> results) {
    if (results.size() != batch.size()) {
      throw new IllegalStateException(
          "a batch of " + batch.size() + " gave " + results.size() + " results");
    }
    for (int i = 0; i < batch.size(); i++) {
      if (!batch.get(i).result().complete(results.get(i))) {
        throw new IllegalStateException("a request of " + name + " was answered twice");
      }
    }
  }

  /**
   * Stops taking requests, lets the writers write what already waits (for at most {@code wait}),
   * then fails whatever is still waiting with {@link Refused}.
   */
  void close(Duration wait) {
    closing = true;
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      for (Thread thread : threads) {
        thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopped = true;
    // A writer still busy past the deadline fails its batch with what the interrupt raises.
    threads.forEach(Thread::interrupt);
    List<Request<I, O>> left = new ArrayList<>();
    queue.drainTo(left);
    if (!left.isEmpty()) {
      log.warn("{} shut down with {} request(s) not written", name, left.size());
    }
    left.forEach(
        r -> r.result().completeExceptionally(new Refused(name + " is shutting down", true)));
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
