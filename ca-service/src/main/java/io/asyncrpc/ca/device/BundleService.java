package io.asyncrpc.ca.device;

import io.asyncrpc.ca.pki.ServerKeys;
import java.security.KeyPair;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Server-generated identities: a fresh key pair, certified and recorded like an enrollment. */
@Service
class BundleService {

  private final DeviceDirectory devices;
  private final DeviceIdentities identities;

  BundleService(DeviceDirectory devices, DeviceIdentities identities) {
    this.devices = devices;
    this.identities = identities;
  }

  @Transactional
  Bundle issue(String deviceId, String tenant, ServerKeys.KeyType keyType) {
    devices.requireInTenant(deviceId, tenant);
    KeyPair pair = ServerKeys.generate(keyType);
    return new Bundle(pair.getPrivate(), identities.issue(deviceId, pair.getPublic(), true));
  }
}
