/* The host port: the core's asyncrpc_port_t on libmosquitto (MQTT 5), a file journal and stdio. */
#ifndef ASYNCRPC_HOST_MOSQUITTO_PORT_H
#define ASYNCRPC_HOST_MOSQUITTO_PORT_H

#include <mosquitto.h>
#include <stdbool.h>

#include "asyncrpc/port.h"
#include "file_journal.h"

typedef struct {
  struct mosquitto *mosq;
  file_journal_t journal;
  bool debug;
} host_port_t;

/** The port functions over host. */
asyncrpc_port_t host_port(host_port_t *host);

/** Installs the libmosquitto callbacks that feed the inbox. */
void host_port_install_callbacks(struct mosquitto *mosq);

#endif
