package io.asyncrpc.api.device;

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

/** The devices the core knows: registration, lookup and listing. */
@Service
public class DeviceRegistry {

  private final DeviceRepository devices;

  DeviceRegistry(DeviceRepository devices) {
    this.devices = devices;
  }

  /** Registers a device; a second registration of the same id is a conflict. */
  DeviceView register(String id, @Nullable String displayName) {
    if (devices.existsById(id)) {
      throw new DeviceExistsException(id);
    }
    try {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      return devices.saveAndFlush(new Device(id, displayName, now)).toView();
    } catch (DataIntegrityViolationException e) {
      // Two registrations raced; the primary key decided.
      throw new DeviceExistsException(id);
    }
  }

  @Transactional(readOnly = true)
  Optional<DeviceView> find(String id) {
    return devices.findById(id).map(Device::toView);
  }

  /** Whether a device with this id is registered. */
  @Transactional(readOnly = true)
  public boolean isRegistered(String id) {
    return devices.existsById(id);
  }

  @Transactional(readOnly = true)
  PageView<DeviceView> page(@Nullable Cursor cursor, int limit) {
    List<Device> rows =
        cursor == null
            ? devices.firstPage(Limit.of(limit + 1))
            : devices.pageAfter(cursor.createdAt(), cursor.id(), Limit.of(limit + 1));
    List<DeviceView> items = rows.stream().limit(limit).map(Device::toView).toList();
    String next = null;
    if (rows.size() > limit) {
      DeviceView last = items.getLast();
      next = new Cursor(last.createdAt(), last.id()).encode();
    }
    return new PageView<>(items, next);
  }
}
