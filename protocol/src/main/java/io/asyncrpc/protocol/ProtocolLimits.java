package io.asyncrpc.protocol;

/** Limits of the device protocol, the same for REST, the core and the devices. */
public final class ProtocolLimits {

  /** Largest task payload and largest result document, in bytes of UTF-8 JSON: 64 KiB. */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  /** Largest device event payload ({@code evt}), in bytes of UTF-8 JSON: 16 KiB. */
  public static final int MAX_EVENT_PAYLOAD_BYTES = 16 * 1024;

  /** Largest progress report ({@code prg}), in bytes of UTF-8 JSON: 4 KiB. */
  public static final int MAX_PROGRESS_PAYLOAD_BYTES = 4 * 1024;

  /** Longest correlation data of an event kept and echoed, in bytes. */
  public static final int MAX_EVENT_CORRELATION_BYTES = 255;

  /** Longest method code. */
  public static final int MAX_METHOD_CODE_LENGTH = 64;

  /** Allowed form of a method code. */
  public static final String METHOD_CODE_PATTERN = "^[A-Za-z0-9_.:-]{1,64}$";

  /** Longest external id. */
  public static final int MAX_EXTERNAL_ID_LENGTH = 128;

  private ProtocolLimits() {}
}
