package io.asyncrpc.api.stream;

import io.asyncrpc.api.event.EventFilter;
import io.asyncrpc.api.event.EventPosition;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's stream: what the feed hands it waits in a queue and is written by a short task (a
 * virtual thread) only while there is something to write, so an idle stream holds no thread. Events
 * are written in order and once; the position of the last one written is where the client's {@code
 * Last-Event-ID} resumes.
 */
final class Subscription {

  private final String tenant;
  private final EventFilter filter;
  private final SseEmitter emitter;
  private final Executor writers;
  private final int maxQueued;
  private final Consumer<Subscription> onClose;
  private final Queue<StreamFrame> queued = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean heartbeatDue;
  private volatile boolean live;
  private volatile EventPosition written;

  Subscription(
      String tenant,
      EventFilter filter,
      EventPosition from,
      SseEmitter emitter,
      Executor writers,
      int maxQueued,
      Consumer<Subscription> onClose) {
    this.tenant = tenant;
    this.filter = filter;
    this.written = from;
    this.emitter = emitter;
    this.writers = writers;
    this.maxQueued = maxQueued;
    this.onClose = onClose;
  }

  String tenant() {
    return tenant;
  }

  EventFilter filter() {
    return filter;
  }

  boolean isLive() {
    return live;
  }

  /** From now on the feed's events reach this stream; everything before was caught up. */
  void goLive() {
    live = true;
  }

  /** The last event queued or caught up; catching up resumes after it. */
  EventPosition written() {
    return written;
  }

  /** Starts the stream at this position instead (before it is live and before any event). */
  void resetTo(EventPosition position) {
    written = position;
  }

  /** Queues events for writing (from the feed, or while catching up); never blocks. */
  void offer(StreamFrame event) {
    if (closed.get()) {
      return;
    }
    if (size.incrementAndGet() > maxQueued) {
      // Too slow to keep up: the client resumes from what it got, losing nothing.
      close();
      return;
    }
    queued.add(event);
    written = event.position();
    schedule();
  }

  void heartbeat() {
    heartbeatDue = true;
    schedule();
  }

  boolean isClosed() {
    return closed.get();
  }

  void close() {
    if (closed.compareAndSet(false, true)) {
      onClose.accept(this);
      emitter.complete();
    }
  }

  private void schedule() {
    if (!closed.get() && writing.compareAndSet(false, true)) {
      writers.execute(this::write);
    }
  }

  private void write() {
    try {
      do {
        StreamFrame event;
        while ((event = queued.poll()) != null) {
          size.decrementAndGet();
          // Already JSON: written as it is (UTF-8), with no converter serializing it again.
          emitter.send(
              SseEmitter.event()
                  .id(event.position().encode())
                  .name(event.name())
                  .data(event.json(), MediaType.APPLICATION_JSON));
        }
        if (heartbeatDue) {
          heartbeatDue = false;
          emitter.send(SseEmitter.event().comment("heartbeat"));
        }
        writing.set(false);
        // Something queued after the loop ended and before the flag fell is written now.
      } while ((!queued.isEmpty() || heartbeatDue) && writing.compareAndSet(false, true));
    } catch (IOException | RuntimeException e) {
      // The client went away (or the connection broke): it resumes with Last-Event-ID.
      writing.set(false);
      close();
    }
  }
}
