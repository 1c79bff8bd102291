package io.asyncrpc.api.event;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Follows the tenant event log for this instance: one reader, however many streams, waiting
 * requests and webhook senders listen, so an idle subscriber costs no query.
 *
 * <p>It starts at the log's head (what is readable at start-up is history, read from the log by
 * whoever asks for it) and hands each page to every {@link FeedListener} while holding {@link
 * #lock()}, so a subscriber that catches up from the log can switch to the feed at a known position
 * without a gap or a duplicate.
 */
@Component
public class EventFeed implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventFeed.class);

  private final TenantEventLog events;
  private final EventProperties properties;
  private final List<FeedListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicReference<EventPosition> position = new AtomicReference<>();
  private final Object lock = new Object();
  private volatile boolean running;
  private @Nullable Thread reader;

  EventFeed(TenantEventLog events, EventProperties properties, MeterRegistry meters) {
    this.events = events;
    this.properties = properties;
    meters.gauge("iot.events.feed.listeners", listeners, List::size);
  }

  public void listen(FeedListener listener) {
    listeners.add(listener);
  }

  public void ignore(FeedListener listener) {
    listeners.remove(listener);
  }

  /**
   * Held while a page is handed to the listeners: whoever holds it sees {@link #position()} as the
   * exact boundary between what listeners were told and what they will be told.
   */
  public Object lock() {
    return lock;
  }

  /** Everything up to here has been handed to the listeners; null before the feed started. */
  public EventPosition position() {
    return position.get();
  }

  @Override
  public void start() {
    running = true;
    reader = Thread.ofPlatform().daemon().name("event-feed").start(this::follow);
  }

  @Override
  public void stop() {
    running = false;
    if (reader != null) {
      reader.interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void follow() {
    while (running) {
      try {
        if (position.get() == null) {
          position.set(events.head());
        }
        List<TenantEvent> page = events.after(position.get(), properties.pageSize());
        if (!page.isEmpty()) {
          hand(page);
        }
        if (page.size() < properties.pageSize()) {
          Thread.sleep(properties.pollInterval());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // The database is away: keep the position and try again; nothing is skipped.
        log.warn("Reading the tenant event log failed ({}); retrying", e.toString());
        pause();
      }
    }
  }

  private void hand(List<TenantEvent> page) {
    EventPosition upTo = page.getLast().position();
    synchronized (lock) {
      for (FeedListener listener : listeners) {
        try {
          listener.onEvents(page, upTo);
        } catch (RuntimeException e) {
          log.warn("A listener of the event feed failed", e);
        }
      }
      position.set(upTo);
    }
  }

  private void pause() {
    try {
      Thread.sleep(properties.pollInterval().multipliedBy(20));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
