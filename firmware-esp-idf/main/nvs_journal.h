#pragma once

#include "asyncrpc/port.h"
#include "esp_err.h"

/** The journal port on the default NVS partition: one blob per slot, committed before the result is sent. */
esp_err_t nvs_journal_open(void);
int nvs_journal_read(size_t slot, asyncrpc_journal_entry_t *entry);
int nvs_journal_write(size_t slot, const asyncrpc_journal_entry_t *entry);
