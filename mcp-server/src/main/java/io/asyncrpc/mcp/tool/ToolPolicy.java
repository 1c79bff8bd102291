package io.asyncrpc.mcp.tool;

import io.asyncrpc.protocol.DeviceId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** This deployment's limits on the tools: the device allowlist and dry-run mode. */
@Component
final class ToolPolicy {

  private final DeviceAllowlist allowlist;
  private final ToolProperties properties;

  ToolPolicy(ToolProperties properties) {
    this.properties = properties;
    this.allowlist = new DeviceAllowlist(properties.allowedDevices());
  }

  DeviceAllowlist allowlist() {
    return allowlist;
  }

  boolean dryRun() {
    return properties.dryRun();
  }

  int maxTagDevices() {
    return properties.maxTagDevices();
  }

  /** A well-formed device id the allowlist admits, or a refusal before any call. */
  String device(String deviceId) {
    if (!DeviceId.isValid(deviceId)) {
      throw new ToolRefused("device_id must match " + DeviceId.PATTERN);
    }
    allowlist.check(deviceId);
    return deviceId;
  }

  /** What a dry run answers instead of making {@code method path}. */
  static Map<String, Object> wouldCall(
      String method, String path, @Nullable Object body, String effect) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("dry_run", true);
    answer.put("would_call", method + " " + path);
    answer.put("body", body);
    answer.put("effect", effect);
    answer.put("note", "dry-run mode (iot.mcp.dry-run): nothing was sent to any device");
    return answer;
  }
}
