package io.asyncrpc.api.event;

import io.asyncrpc.api.web.InvalidParameterException;

/**
 * A place in the tenant event log: the writing transaction's id and the row's id, in that order.
 * Clients see it as the event's {@code id} ({@code "<tx>-<id>"}) and hand it back to resume.
 *
 * @param tx the transaction that wrote the event ({@code xid8})
 * @param id the event row's id, unique within the log
 */
public record EventPosition(long tx, long id) implements Comparable<EventPosition> {

  /** Before every event. */
  public static final EventPosition ORIGIN = new EventPosition(0, 0);

  public EventPosition {
    if (tx < 0 || id < 0) {
      throw new IllegalArgumentException("negative position " + tx + "-" + id);
    }
  }

  /** The event id as clients see it. */
  public String encode() {
    return tx + "-" + id;
  }

  /** Reads a position a client sent back; anything this API never hands out is a 400 problem. */
  public static EventPosition decode(String text, String parameter) {
    int dash = text.indexOf('-');
    if (dash <= 0 || dash == text.length() - 1 || text.length() > 41) {
      throw invalid(parameter);
    }
    try {
      long tx = Long.parseLong(text, 0, dash, 10);
      long id = Long.parseLong(text, dash + 1, text.length(), 10);
      if (tx < 0 || id < 0) {
        throw invalid(parameter);
      }
      return new EventPosition(tx, id);
    } catch (NumberFormatException e) {
      throw invalid(parameter);
    }
  }

  @Override
  public int compareTo(EventPosition other) {
    int byTx = Long.compare(tx, other.tx);
    return byTx != 0 ? byTx : Long.compare(id, other.id);
  }

  private static InvalidParameterException invalid(String parameter) {
    return new InvalidParameterException(parameter, "is not an event id returned by this API");
  }
}
