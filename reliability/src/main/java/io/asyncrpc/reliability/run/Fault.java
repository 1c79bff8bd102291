package io.asyncrpc.reliability.run;

import java.util.Optional;
import java.util.UUID;

/** One kind of fault the suite injects; each injection also heals it (restart, reconnect). */
interface Fault {

  /** Short name, a row of the report. */
  String name();

  /**
   * Injects the fault into {@code system} and heals it.
   *
   * @return the task whose end marks recovery (a device fault's own task), or empty to wait for any
   *     task accepted after the injection to be committed
   */
  Optional<UUID> inject(SystemUnderTest system);
}
