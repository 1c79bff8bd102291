#pragma once

#include "esp_err.h"
#include "identity.h"

/**
 * Gives a device without a certificate its identity: when the "certs" partition holds an
 * enrollment token ("enroll_token") and ca-service's URL ("ca_url") but no certificate, makes an
 * EC P-256 key on the chip, enrolls a CSR at ca-service, stores key and certificate (+ chain) in
 * the partition and erases the token. A device that has a certificate is left as it is.
 */
esp_err_t enrollment_ensure(device_identity_t *identity);
