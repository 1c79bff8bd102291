package io.asyncrpc.mcp.tool;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The devices this deployment's tools may name: ids or patterns with {@code *}. Empty allows every
 * device (api-service still limits a caller to its tenant).
 */
final class DeviceAllowlist {

  private final List<String> entries;
  private final List<Pattern> patterns;

  DeviceAllowlist(List<String> entries) {
    this.entries = entries.stream().map(String::strip).filter(e -> !e.isEmpty()).toList();
    this.patterns = this.entries.stream().map(DeviceAllowlist::compile).toList();
  }

  /** Whether every device is allowed. */
  boolean isOpen() {
    return patterns.isEmpty();
  }

  boolean allows(String deviceId) {
    return isOpen() || patterns.stream().anyMatch(p -> p.matcher(deviceId).matches());
  }

  /** Throws {@link ToolRefused} unless {@code deviceId} is allowed. */
  void check(String deviceId) {
    if (!allows(deviceId)) {
      throw new ToolRefused(
          "device "
              + deviceId
              + " is outside this server's device allowlist "
              + entries
              + " (iot.mcp.allowed-devices); nothing was sent");
    }
  }

  private static Pattern compile(String entry) {
    StringBuilder regex = new StringBuilder();
    for (String part : entry.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
