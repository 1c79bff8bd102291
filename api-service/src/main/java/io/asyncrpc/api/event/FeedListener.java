package io.asyncrpc.api.event;

import java.util.List;

/** Told every event the feed reads, in log order, on the feed's thread: must not block. */
public interface FeedListener {

  /**
   * Events that became readable, oldest first; {@code upTo} is the feed's position after them (the
   * position a listener that joins later must resume from to miss nothing).
   */
  void onEvents(List<TenantEvent> events, EventPosition upTo);
}
