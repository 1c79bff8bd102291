package io.asyncrpc.api.device;

import io.asyncrpc.api.security.CurrentCaller;
import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.PageView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The devices the core knows: registration, lookup and listing, each within the caller's tenant. A
 * device id is global (it is the certificate CN and MQTT client id), so registering an id another
 * tenant holds is a conflict too; every read answers another tenant's device as unknown.
 */
@Service
public class DeviceRegistry {

  private static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z");
  private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {};

  private final DeviceRepository devices;
  private final CurrentCaller caller;
  private final JsonMapper json;

  DeviceRegistry(DeviceRepository devices, CurrentCaller caller, JsonMapper json) {
    this.devices = devices;
    this.caller = caller;
    this.json = json;
  }

  /** Registers a device in the caller's tenant; a second registration of an id is a conflict. */
  DeviceView register(String id, @Nullable String displayName, Map<String, String> tags) {
    String tenant = caller.get().tenant();
    String tagsJson = json.writeValueAsString(DeviceTags.checked(tags));
    if (devices.existsById(id)) {
      throw new DeviceExistsException(id);
    }
    try {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      return view(devices.saveAndFlush(new Device(id, tenant, displayName, tagsJson, now)));
    } catch (DataIntegrityViolationException e) {
      // Two registrations raced; the primary key decided.
      throw new DeviceExistsException(id);
    }
  }

  @Transactional(readOnly = true)
  Optional<DeviceView> find(String id) {
    return devices.findByIdAndTenant(id, caller.get().tenant()).map(this::view);
  }

  /**
   * Changes a device's display name and tags (RFC 7396 merge patch: a tag set to null is removed,
   * others are set; the display name is replaced, null clears it).
   */
  @Transactional
  Optional<DeviceView> update(String id, DevicePatch patch) {
    return devices
        .findByIdAndTenant(id, caller.get().tenant())
        .map(
            device -> {
              if (patch.displayNameGiven()) {
                device.rename(patch.displayName());
              }
              if (!patch.tags().isEmpty()) {
                Map<String, String> tags = new HashMap<>(tags(device));
                patch
                    .tags()
                    .forEach(
                        (key, value) -> {
                          if (value.isEmpty()) {
                            tags.remove(key);
                          } else {
                            tags.put(key, value.get());
                          }
                        });
                device.retag(json.writeValueAsString(DeviceTags.checked(tags)));
              }
              return view(devices.saveAndFlush(device));
            });
  }

  /** Whether a device with this id is registered in {@code tenant}. */
  @Transactional(readOnly = true)
  public boolean isRegistered(String id, String tenant) {
    return devices.existsByIdAndTenant(id, tenant);
  }

  /** A page of the caller's devices that carry every one of {@code tags}, newest first. */
  @Transactional(readOnly = true)
  PageView<DeviceView> page(Map<String, String> tags, @Nullable Cursor cursor, int limit) {
    List<Device> rows =
        devices.page(
            caller.get().tenant(),
            json.writeValueAsString(tags),
            cursor == null ? END_OF_TIME : cursor.createdAt(),
            cursor == null ? "" : cursor.id(),
            limit + 1);
    List<DeviceView> items = rows.stream().limit(limit).map(this::view).toList();
    String next = null;
    if (rows.size() > limit) {
      DeviceView last = items.getLast();
      next = new Cursor(last.createdAt(), last.id()).encode();
    }
    return new PageView<>(items, next);
  }

  private DeviceView view(Device device) {
    return device.toView(tags(device));
  }

  private Map<String, String> tags(Device device) {
    return new TreeMap<>(json.readValue(device.tagsJson(), TAGS));
  }
}
