package io.asyncrpc.core.messaging;

import org.jspecify.annotations.Nullable;

/** A message that can never be processed (unparseable): it is acknowledged, counted and dropped. */
public class PoisonMessageException extends RuntimeException {

  public PoisonMessageException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
