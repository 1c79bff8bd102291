package io.asyncrpc.api.stream;

import io.asyncrpc.api.event.EventView;
import java.util.List;

/**
 * One page of the event log, oldest first.
 *
 * @param items the events
 * @param nextCursor pass it as {@code cursor} for the events after these; never null: with no new
 *     events it is the cursor given, so a client can keep asking with it
 */
record EventPage(List<EventView> items, String nextCursor) {}
