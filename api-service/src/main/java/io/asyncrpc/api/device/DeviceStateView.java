package io.asyncrpc.api.device;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A device's latest event of each type, which the seed's system shows as gauges.
 *
 * @param deviceId the device
 * @param latest the newest event of each {@code event_type_code}, by type
 */
@Schema(name = "DeviceState")
public record DeviceStateView(String deviceId, List<DeviceEventView> latest) {}
