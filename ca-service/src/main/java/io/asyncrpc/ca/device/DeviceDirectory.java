package io.asyncrpc.ca.device;

import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Which devices exist and in which tenant; api-service owns the {@code devices} table. */
@Component
public class DeviceDirectory {

  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final JdbcClient jdbc;

  DeviceDirectory(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Throws {@link DeviceNotFoundException} unless {@code deviceId} is a device of {@code tenant}.
   */
  public void requireInTenant(String deviceId, String tenant) {
    boolean found =
        DEVICE_ID.matcher(deviceId).matches()
            && jdbc.sql("SELECT count(*) FROM devices WHERE id = ? AND tenant = ?")
                    .params(deviceId, tenant)
                    .query(Long.class)
                    .single()
                > 0;
    if (!found) {
      throw new DeviceNotFoundException(deviceId);
    }
  }
}
