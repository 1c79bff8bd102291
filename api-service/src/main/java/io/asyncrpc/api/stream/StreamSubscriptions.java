package io.asyncrpc.api.stream;

import io.asyncrpc.api.event.EventFeed;
import io.asyncrpc.api.event.EventFilter;
import io.asyncrpc.api.event.EventPosition;
import io.asyncrpc.api.event.EventProperties;
import io.asyncrpc.api.event.FeedListener;
import io.asyncrpc.api.event.TenantEvent;
import io.asyncrpc.api.event.TenantEventLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every open event stream of this instance. A stream that resumes catches up from the log, then
 * joins the feed at the feed's exact position (under the feed's lock), so between what it read and
 * what it is handed nothing is missing and nothing repeats.
 */
@Component
class StreamSubscriptions implements FeedListener {

  private static final Logger log = LoggerFactory.getLogger(StreamSubscriptions.class);

  private final EventFeed feed;
  private final TenantEventLog events;
  private final EventProperties eventProperties;
  private final StreamProperties properties;
  private final JsonMapper json;
  private final Map<String, Set<Subscription>> liveByTenant = new ConcurrentHashMap<>();
  private final Set<Subscription> all = ConcurrentHashMap.newKeySet();
  private final AtomicInteger open = new AtomicInteger();
  private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
  private final Counter opened;
  private final Counter delivered;

  StreamSubscriptions(
      EventFeed feed,
      TenantEventLog events,
      EventProperties eventProperties,
      StreamProperties properties,
      JsonMapper json,
      MeterRegistry meters) {
    this.feed = feed;
    this.json = json;
    this.events = events;
    this.eventProperties = eventProperties;
    this.properties = properties;
    this.opened = meters.counter("iot.api.streams.opened");
    this.delivered = meters.counter("iot.api.streams.events");
    meters.gauge("iot.api.streams.open", open);
    feed.listen(this);
  }

  /**
   * Opens a stream of the tenant's events that match the filter: after {@code resumeAfter} when
   * given (from the log, then live), else from now.
   */
  SseEmitter open(String tenant, EventFilter filter, @Nullable EventPosition resumeAfter) {
    EventPosition head = feed.position();
    if (head == null) {
      throw new StreamsBusyException("the event log is not followed yet; retry in a moment");
    }
    if (open.incrementAndGet() > properties.maxSubscribers()) {
      open.decrementAndGet();
      throw new StreamsBusyException("this instance serves as many event streams as it may");
    }
    opened.increment();
    // No timeout: the stream lasts until the client or the connection goes.
    SseEmitter emitter = new SseEmitter(0L);
    Subscription subscription =
        new Subscription(
            tenant,
            filter,
            resumeAfter == null ? head : resumeAfter,
            emitter,
            writers,
            properties.maxQueued(),
            this::forget);
    all.add(subscription);
    emitter.onCompletion(subscription::close);
    emitter.onTimeout(subscription::close);
    emitter.onError(e -> subscription.close());
    try {
      emitter.send(SseEmitter.event().reconnectTime(properties.retryHint().toMillis()));
    } catch (IOException e) {
      subscription.close();
      return emitter;
    }
    if (resumeAfter == null) {
      synchronized (feed.lock()) {
        // Nothing can be handed out between reading the head and joining: the lock is held.
        subscription.resetTo(feed.position());
        join(subscription);
      }
    } else {
      writers.execute(() -> catchUp(subscription));
    }
    return emitter;
  }

  private void join(Subscription subscription) {
    liveByTenant
        .computeIfAbsent(subscription.tenant(), t -> ConcurrentHashMap.newKeySet())
        .add(subscription);
    subscription.goLive();
    if (subscription.isClosed()) {
      forget(subscription); // closed while catching up: already forgotten once, before the add
    }
  }

  private void forget(Subscription subscription) {
    if (all.remove(subscription)) {
      open.decrementAndGet();
    }
    Set<Subscription> tenant = liveByTenant.get(subscription.tenant());
    if (tenant != null) {
      tenant.remove(subscription);
    }
  }

  private void catchUp(Subscription subscription) {
    try {
      EventPosition after = subscription.written();
      while (!subscription.isClosed()) {
        EventPosition head = feed.position();
        List<TenantEvent> page =
            events.after(
                subscription.tenant(), after, subscription.filter(), eventProperties.pageSize());
        boolean pastHead = false;
        for (TenantEvent event : page) {
          if (event.position().compareTo(head) > 0) {
            pastHead = true;
            break;
          }
          subscription.offer(StreamFrame.of(event, json));
          after = event.position();
        }
        if (pastHead || page.size() < eventProperties.pageSize()) {
          synchronized (feed.lock()) {
            if (head.equals(feed.position())) {
              join(subscription);
              return;
            }
          }
          // The feed handed out more while this read: catch up on that too.
        }
      }
    } catch (RuntimeException e) {
      log.warn("Catching up an event stream failed ({}); the client will resume", e.toString());
      subscription.close();
    }
  }

  @Override
  public void onEvents(List<TenantEvent> page, EventPosition upTo) {
    for (TenantEvent event : page) {
      Set<Subscription> tenant = liveByTenant.get(event.tenant());
      if (tenant == null) {
        continue;
      }
      StreamFrame frame = null;
      for (Subscription subscription : tenant) {
        // A stream that resumed from a position beyond the feed's skips what it already had.
        if (subscription.filter().matches(event)
            && event.position().compareTo(subscription.written()) > 0) {
          if (frame == null) {
            frame = StreamFrame.of(event, json);
          }
          subscription.offer(frame);
          delivered.increment();
        }
      }
    }
  }

  @Scheduled(fixedDelayString = "${iot.stream.heartbeat:15s}")
  void heartbeat() {
    all.forEach(Subscription::heartbeat);
  }

  int openStreams() {
    return open.get();
  }
}
