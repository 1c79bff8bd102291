package io.asyncrpc.api.device;

import io.asyncrpc.api.security.CurrentCaller;
import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.PageView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The devices the core knows: registration, lookup and listing, each within the caller's tenant. A
 * device id is global (it is the certificate CN and MQTT client id), so registering an id another
 * tenant holds is a conflict too; every read answers another tenant's device as unknown.
 */
@Service
public class DeviceRegistry {

  private final DeviceRepository devices;
  private final CurrentCaller caller;

  DeviceRegistry(DeviceRepository devices, CurrentCaller caller) {
    this.devices = devices;
    this.caller = caller;
  }

  /** Registers a device in the caller's tenant; a second registration of an id is a conflict. */
  DeviceView register(String id, @Nullable String displayName) {
    String tenant = caller.get().tenant();
    if (devices.existsById(id)) {
      throw new DeviceExistsException(id);
    }
    try {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      return devices.saveAndFlush(new Device(id, tenant, displayName, now)).toView();
    } catch (DataIntegrityViolationException e) {
      // Two registrations raced; the primary key decided.
      throw new DeviceExistsException(id);
    }
  }

  @Transactional(readOnly = true)
  Optional<DeviceView> find(String id) {
    return devices.findByIdAndTenant(id, caller.get().tenant()).map(Device::toView);
  }

  /** Whether a device with this id is registered in {@code tenant}. */
  @Transactional(readOnly = true)
  public boolean isRegistered(String id, String tenant) {
    return devices.existsByIdAndTenant(id, tenant);
  }

  @Transactional(readOnly = true)
  PageView<DeviceView> page(@Nullable Cursor cursor, int limit) {
    String tenant = caller.get().tenant();
    List<Device> rows =
        cursor == null
            ? devices.firstPage(tenant, Limit.of(limit + 1))
            : devices.pageAfter(tenant, cursor.createdAt(), cursor.id(), Limit.of(limit + 1));
    List<DeviceView> items = rows.stream().limit(limit).map(Device::toView).toList();
    String next = null;
    if (rows.size() > limit) {
      DeviceView last = items.getLast();
      next = new Cursor(last.createdAt(), last.id()).encode();
    }
    return new PageView<>(items, next);
  }
}
