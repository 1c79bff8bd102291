#include "nvs_journal.h"

#include <stddef.h>
#include <stdio.h>

#include "nvs.h"

static nvs_handle_t handle;

esp_err_t nvs_journal_open(void) { return nvs_open("asyncrpc_j", NVS_READWRITE, &handle); }

static void slot_key(size_t slot, char key[16]) { snprintf(key, 16, "j%03u", (unsigned)slot); }

int nvs_journal_read(size_t slot, asyncrpc_journal_entry_t *entry) {
  char key[16];
  slot_key(slot, key);
  size_t length = sizeof(*entry);
  if (nvs_get_blob(handle, key, entry, &length) != ESP_OK) {
    return -1;
  }
  const size_t header = offsetof(asyncrpc_journal_entry_t, result);
  /* NVS writes a blob atomically; a length that does not add up means another firmware's layout. */
  return length >= header && length == header + entry->result_len ? 0 : -1;
}

int nvs_journal_write(size_t slot, const asyncrpc_journal_entry_t *entry) {
  char key[16];
  slot_key(slot, key);
  /* Only the used part of the result: a typical entry is a few hundred bytes of flash. */
  size_t length = offsetof(asyncrpc_journal_entry_t, result) + entry->result_len;
  if (nvs_set_blob(handle, key, entry, length) != ESP_OK || nvs_commit(handle) != ESP_OK) {
    return -1;
  }
  return 0;
}
