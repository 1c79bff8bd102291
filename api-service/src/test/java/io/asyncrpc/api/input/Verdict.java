package io.asyncrpc.api.input;

import java.util.Collection;
import java.util.Comparator;
import java.util.Set;

/**
 * What the API must answer to one part of a request, in the order the API checks: the first failing
 * check decides the answer.
 */
enum Verdict {
  /** Acceptable. */
  OK(0, 0, Set.of()),
  /** The device id is valid but no device of the caller's tenant has it. */
  UNREGISTERED(1, 422, Set.of("device-not-registered")),
  /** The device id is taken already. */
  EXISTS(1, 409, Set.of("device-exists")),
  /** The payload is over the protocol's 64 KiB. */
  TOO_LARGE(2, 413, Set.of("payload-too-large")),
  /** The payload holds something {@code jsonb} cannot store (checked after the headers). */
  UNSTORABLE_PAYLOAD(3, 400, Set.of("validation-failed")),
  /** A header or query parameter has an invalid value. */
  INVALID_PARAMETER(4, 400, Set.of("invalid-parameter")),
  /** A field has the right JSON type and a value the rules refuse (bean validation). */
  INVALID_VALUE(5, 400, Set.of("validation-failed")),
  /** The body cannot be read: malformed JSON, not an object, unknown field, wrong JSON type. */
  UNREADABLE(6, 400, Set.of("malformed-json", "invalid-body", "unknown-field", "invalid-type"));

  private final int rank;
  private final int status;
  private final Set<String> slugs;

  Verdict(int rank, int status, Set<String> slugs) {
    this.rank = rank;
    this.status = status;
    this.slugs = slugs;
  }

  /** The status the API answers, {@code success} when every part is acceptable. */
  int status(int success) {
    return this == OK ? success : status;
  }

  /** The problem types (slugs) the API may answer with. */
  Set<String> slugs() {
    return slugs;
  }

  /** The verdict of a whole request: the part checked first among those that fail. */
  static Verdict of(Collection<Verdict> parts) {
    return parts.stream().max(Comparator.comparingInt(v -> v.rank)).orElse(OK);
  }
}
