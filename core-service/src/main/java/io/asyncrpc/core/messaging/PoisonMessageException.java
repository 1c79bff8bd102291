package io.asyncrpc.core.messaging;

/** A message that can never be processed (unparseable): it is acknowledged, counted and dropped. */
public class PoisonMessageException extends RuntimeException {

  public PoisonMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
