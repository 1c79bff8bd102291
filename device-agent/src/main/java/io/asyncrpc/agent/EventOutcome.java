package io.asyncrpc.agent;

import io.asyncrpc.protocol.DeviceEvent;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What became of a device event published with {@link DeviceAgent#publishEvent}: the core's answer
 * on {@code srv/<SN>/eva}, or why there is none.
 *
 * @param event the event as it was sent
 * @param correlation the correlation data the agent sent with it (a UUID's text), echoed on {@code
 *     eva}
 * @param status stored, refused, no answer expected, or unanswered
 * @param errorCode for {@link Status#REFUSED} the core's code (for example {@code invalid-event} or
 *     {@code payload-too-large}), otherwise {@code null}
 * @param sends how many times the event was sent, resends included
 */
public record EventOutcome(
    DeviceEvent event, String correlation, Status status, @Nullable String errorCode, int sends) {

  /** How a published event ended. */
  public enum Status {
    /** The core stored it ({@code {"status":"success"}}); a resent event is stored once. */
    STORED,
    /** The core did not store it ({@code {"status":"error","code":…}}); see {@code errorCode}. */
    REFUSED,
    /** Type 0 or id 0: sent, and the core stores such an event without answering it. */
    NO_ANSWER_EXPECTED,
    /** No answer came after the last resend; the core may or may not have stored it. */
    UNANSWERED
  }

  public EventOutcome {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(status, "status");
  }

  /** Whether the core has the event for sure: {@link Status#STORED}. */
  public boolean isStored() {
    return status == Status.STORED;
  }
}
