package io.asyncrpc.protocol;

/**
 * JSON payload of {@code srv/<SN>/err}, a typed error answer.
 *
 * @param code the stable error code, also the user property {@code error_code}
 * @param message a human-readable explanation
 * @param topic the topic of the message the core could not use, for example {@code dev/SN1/res}
 */
public record ErrorMessage(String code, String message, String topic) {

  public static ErrorMessage of(ProtocolError error, String message, String topic) {
    return new ErrorMessage(error.code(), message, topic);
  }
}
