package io.asyncrpc.reliability.run;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One injected fault.
 *
 * @param fault its name
 * @param at when it was injected
 * @param inFlight tasks answered 202 and not yet committed to their device at that moment
 * @param recovery from the injection until the system worked again (null: it did not)
 * @param devicesBack from the injection until every device was connected again (null: not all)
 */
record Injection(
    String fault,
    Instant at,
    int inFlight,
    @Nullable Duration recovery,
    @Nullable Duration devicesBack) {}
