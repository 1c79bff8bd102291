package io.asyncrpc.api.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncrpc.api.web.InvalidParameterException;
import org.junit.jupiter.api.Test;

/** Tests for {@link EventPosition}. */
class EventPositionTests {

  @Test
  void roundTripsAndOrdersByTransactionThenRow() {
    EventPosition a = new EventPosition(7, 900);
    EventPosition b = new EventPosition(8, 3);

    assertThat(EventPosition.decode(a.encode(), "after")).isEqualTo(a);
    assertThat(a).isLessThan(b);
    assertThat(EventPosition.ORIGIN).isLessThan(a);
  }

  @Test
  void refusesWhatThisApiNeverHandsOut() {
    for (String bad : new String[] {"", "-", "7", "7-", "-7", "a-1", "1-b", "1--2", "1-2-3"}) {
      assertThatThrownBy(() -> EventPosition.decode(bad, "after"))
          .as(bad)
          .isInstanceOf(InvalidParameterException.class);
    }
  }
}
